# Every directive, expressions with GNU's precedence, numeric local labels and %hi/%lo/%pcrel_*.
    .attribute arch, "rv32i2p1_m2p0_zicsr2p0"
    .attribute unaligned_access, 0
    .attribute stack_align, 16
    .file   "directives.s"
    .ident  "shadowvm test corpus"
    .option norelax
    .option push
    .option norvc
    .option pop
    .equ    SIZE, 0x40
    .text
    .global _start
    .globl  helper, other
_start:
    lui     a0, %hi(value)
    addi    a0, a0, %lo(value)
    lw      a1, %lo(value)(a0)
    sw      a1, %lo(value)(a0)
1:  auipc   a2, %pcrel_hi(value)
    addi    a2, a2, %pcrel_lo(1b)
.Lfar:
    auipc   a3, %pcrel_hi(table)
    lw      a3, %pcrel_lo(.Lfar)(a3)
    lui     a4, %hi(0x12345FFF)
    addi    a4, a4, %lo(0x12345FFF)
1:  addi    a0, a0, -1
    bnez    a0, 1b
    j       1f
    nop
1:  beqz    a0, 2f
2:  j       1b
helper: nop ; nop
other:
    addi    a0, zero, (1 + 2) * 3 - 4 / 2 % 3
    addi    a0, zero, 1 + 2 * 3 | 4
    addi    a0, zero, 1 << 2 + 1
    addi    a0, zero, ~0 & 0x7f
    addi    a0, zero, -(5) ^ 3
    addi    a0, zero, SIZE
    .byte   1
    .align  2
    .p2align 3
    ebreak
    .balign 16
    ebreak
    .p2align 4,,8
    ebreak
    .balign 8, 0
    .word   0x0000000b
end:

    .section .rodata
ro: .ascii  "ab\n\t\"\\\101\x41"
    .asciz  "z"
    .string "s", "t"
    .byte   'a', '\n', 255, -128, 0x7f
    .half   0x1234, -1
    .short  5
    .2byte  6
    .4byte  7
    .long   8

    .data
    .set    COUNT, 2
value:
    .word   COUNT, 0x7fffffff, -1, value, ro, end - _start, . - value
    .set    COUNT, COUNT + 1
    .word   COUNT
    .word   1 + 2 * 3, 1 | 2 + 4, 1 << 2 + 1, 6 - 2 - 1, -7 / 2, -7 % 2, 1 + 2 | 4
    .word   5 == 5, 5 != 4, 3 < 4, 3 > 4, 3 <= 3, 4 >= 5, !0, 2 && 3, 0 || 0, 6 !2, 3 <> 3
    .word   0b101, 0777, 0x1F, 'A'
    .zero   3
    .space  2
    .space  3, 0x7f
    .skip   1, 2
    .align  3, 0x55
table:
    .word   table, table + 4
    .section .data.extra, "aw", @progbits
    .byte   9
    .section .sdata, "aw"
    .half   10
    SQUARE = SIZE * SIZE
    .word   SQUARE

    .bss
buffer:
    .zero   SIZE
    .align  4
    .space  8
    .section .sbss, "aw", @nobits
tail_byte:
    .skip   1
    .type   helper, @function
    .size   helper, 8
    .text
    .local  counter
    .comm   counter, 12, 4
    .lcomm  flag, 1
    .comm   ctable, 16, 8
    la      a0, counter
    la      a1, ctable
