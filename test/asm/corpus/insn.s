# The .insn directive in each base format, and raw words.
    .text
    .globl _start
_start:
    .insn r 0x33, 0, 0, a0, a1, a2
    .insn r 0x0b, 3, 0, t0, t1, t2
    .insn i 0x13, 0, a0, a1, -5
    .insn i 0x03, 2, a0, 8(sp)
    .insn i 0x2b, 1, x0, a0, 0
    .insn s 0x23, 2, a0, -4(sp)
    .insn b 0x63, 0, a0, a1, _start
    .insn u 0x37, a0, 0x12345
    .insn j 0x6f, ra, _start
    .insn 0x00000013
    .insn 4, 0x00100073
