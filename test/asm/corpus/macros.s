# Macros, repetitions, conditional assembly, .fill, .set on expressions, 64-bit literals, standard
# CSR names and the old system mnemonics: every construct GNU as gives meaning to before assembling.
    .text
    .globl  _start
_start:
    .macro  push reg, slot=0
    sw      \reg, \slot*4(sp)
    .endm
    .macro  pair a:req, b=t1, rest:vararg
    add     \a, \a, \b
    .ifnb   \rest
    .word   \rest
    .endif
    .endm
    .macro  labelled
lbl\@:
    j       lbl\@
    .endm
    .macro  early n
    .if     \n == 0
    .exitm
    .endif
    addi    a0, a0, \n
    .endm
    .macro  nested x
    push    \x, 2
    pair    \x
    .endm

    push    a0
    push    a1, 1
    push    reg=a2, slot=3
    pair    a3
    pair    a4, t2
    pair    a5, t0, 1, 2, 3
    labelled
    labelled
    early   0
    early   5
    nested  s1
    .purgem early

    .set    count, 0
    .rept   4
    .set    count, count + 1
    addi    a0, a0, count
    .endr
    .irp    r, t3, t4, t5
    mv      \r, zero
    .endr
    .irpc   d, 123
    li      a1, \d\()0
    .endr
    .irp    r, s2, s3
    .rept   2
    addi    \r, \r, 1
    .endr
    .endr

    .equ    LEVEL, 2
    .if     LEVEL > 1
    li      a0, 1
    .elseif LEVEL > 0
    li      a0, 2
    .else
    li      a0, 3
    .endif
    .ifdef  _start
    li      a1, 4
    .endif
    .ifndef nowhere
    li      a1, 5
    .endif
    .ifc    abc, abc
    li      a2, 6
    .endif
    .ifnc   abc, abd
    li      a2, 7
    .endif
    .ifeq   LEVEL - 2
    li      a3, 8
    .endif
    .ifne   LEVEL
    li      a3, 9
    .endif
    .ifgt   LEVEL
    li      a4, 10
    .endif
    .ifge   0
    li      a4, 11
    .endif
    .iflt   -1
    li      a5, 12
    .endif
    .ifle   LEVEL
    li      a5, 13
    .endif
    .ifb
    li      a6, 14
    .endif
    .if     0
    .error  "not assembled"
    .warning "not assembled either"
    unknown instruction here
    .endif

    li      x15, 0xffffffffffffffff
    li      a0, 0xffffffff80000000
    addi    a1, a1, 0xfffffffffffff800
    csrr    a0, satp
    csrw    pmpcfg0, a0
    csrr    a1, mcounteren
    csrw    pmpaddr3, a1
    csrr    a2, medeleg
    scall
    sbreak

    .data
    .fill   3, 1, 0x7f
    .fill   2, 2, 0x1234
    .fill   1, 8, 0x89abcdef
    .fill   2
    .equiv  WIDTH, 4
    .set    grow, WIDTH
    .set    grow, grow * 3 + 1
    .word   grow, WIDTH << 2
    .weak   weakling
weakling:
    .word   weakling
    .hidden weakling
