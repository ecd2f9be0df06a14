# Every RV32M row.
    .text
    .globl _start
_start:
    mul     a0, a1, a2
    mulh    a3, a4, a5
    mulhsu  t0, t1, t2
    mulhu   s0, s1, s2
    div     x1, x2, x3
    divu    x31, x30, x29
    rem     zero, ra, sp
    remu    gp, tp, fp
