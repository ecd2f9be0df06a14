# Every RV32I row of the instruction table, with register, immediate and label operands
# at the edges of their ranges. Compared byte for byte with GNU as (test/asm/gnu.test.ts).
    .text
    .globl _start
_start:
    lui     a0, 0
    lui     t6, 0xfffff
    lui     x31, 1
    auipc   ra, 0
    auipc   s11, 0x80000
back:
    jal     ra, back
    jal     t0, forward
    jal     zero, back
    jalr    a0, 0(a1)
    jalr    ra, -2048(sp)
    jalr    x0, 2047(t1)
    beq     a0, a1, back
    bne     s0, s1, forward
    blt     t3, t4, back
    bge     a7, zero, forward
    bltu    x1, x2, back
    bgeu    x30, x31, forward
    lb      a0, 0(a0)
    lh      a1, -1(sp)
    lw      a2, 2047(gp)
    lbu     a3, -2048(tp)
    lhu     a4, 100(s0)
    sb      a5, 0(a6)
    sh      a7, -2048(s2)
    sw      s3, 2047(s4)
    addi    s5, s6, -2048
    addi    s7, s8, 2047
    slti    s9, s10, -1
    sltiu   t3, t4, 1
    xori    t5, t6, -1
    ori     fp, a0, 0x7ff
    andi    a0, a1, 0xff
    slli    a0, a1, 0
    slli    a0, a1, 31
    srli    a2, a3, 17
    srai    a4, a5, 31
forward:
    add     a0, a1, a2
    sub     a3, a4, a5
    sll     t0, t1, t2
    slt     s0, s1, s2
    sltu    x5, x6, x7
    xor     x8, x9, x10
    srl     x11, x12, x13
    sra     x14, x15, x16
    or      x17, x18, x19
    and     x20, x21, x22
    fence   rw, w
    fence   iorw, iorw
    fence   i, o
    fence   r, rw
    ecall
    ebreak
    mret
    wfi
    # GNU's aliases of the same rows
    add     a0, a1, 5
    and     a0, a1, 3
    or      a0, a1, 3
    xor     a0, a1, 3
    sll     a0, a1, 3
    srl     a0, a1, 3
    sra     a0, a1, 3
    slt     a0, a1, -3
    sltu    a0, a1, 3
    jalr    a0
    jalr    a0, a1
    jalr    a0, a1, 12
    jalr    8(a1)
    jr      a0
    jr      4(a0)
    jr      a0, 4
    jal     back
    lw      a0, (a1)
    sw      a0, (a1)
    zext.b  a0, a1
