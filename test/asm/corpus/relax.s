# Branch relaxation as GNU as does it, even with -mno-relax: a conditional branch whose target is out
# of +-4 KiB, in another section, absolute or weak becomes the inverted branch over a `jal`.
    .text
    .globl  _start
_start:
    beq     a0, a1, near
    beq     a0, a1, far
    bne     a0, a1, far
    blt     a0, a1, far
    bge     a0, a1, far
    bltu    a0, a1, far
    bgeu    a0, a1, far
    beqz    a0, far
    bnez    a0, far
    bltz    a0, far
    bgez    a0, far
    blez    a0, far
    bgtz    a0, far
    bgt     a0, a1, far
    ble     a0, a1, far
    bgtu    a0, a1, far
    bleu    a0, a1, far
    beq     a0, a1, other
    beq     a0, a1, weak_target
near:
    nop
# The first pass thinks this one is short; it grows once the branches above grew.
    beq     a2, a3, edge
    .space  4036
edge:
    nop
    .space  4096
far:
    bne     a0, a1, _start
    bne     a0, a1, near
    .weak   weak_target
weak_target:
    ret
    .section .text.other
other:
    ret
