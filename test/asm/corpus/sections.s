# Subsections and their order in the link: .text.* after .text, .rodata*, .data.* after .data.
    .section .text.second, "ax", @progbits
second:
    .byte   1
    nop
    .section .rodata.str, "a"
    .asciz  "str"
    .text
    .globl _start
_start:
    call    second
    la      a0, third
    la      a1, words
    ret
    .section .data.third
third:
    .align  3
    .word   3
    .data
words:
    .half   1
    .section .srodata, "a"
    .byte   7
    .section .text.third
    .align  4
    nop
