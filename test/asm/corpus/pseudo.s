# Every pseudo-instruction the assembler accepts, with GNU's expansions.
    .equ    CONST, 0x1234
    .text
    .globl _start
_start:
    nop
    li      a0, 0
    li      a0, 1
    li      a0, -1
    li      a0, 2047
    li      a0, -2048
    li      a0, 2048
    li      a0, -2049
    li      a0, 0x800
    li      a0, 0x12345678
    li      a0, 0x12345000
    li      a0, 0x7ffff800
    li      a0, 0x7fffffff
    li      a0, 0x80000000
    li      a0, -2147483648
    li      a0, 0xffffffff
    li      a0, 0xfffff800
    li      a0, 0xfffff7ff
    li      a0, 0x00000fff
    li      t6, 0xdeadbeef
    li      zero, 5
    li      s0, CONST
    li      s1, CONST * 4 + 1
    la      a1, message
    lla     a2, message
    la      a3, _start
    la      a4, table + 8
    mv      a0, a1
    not     a0, a1
    neg     a0, a1
    seqz    a0, a1
    snez    a0, a1
    sltz    a0, a1
    sgtz    a0, a1
    sgt     a0, a1, a2
    sgtu    a0, a1, a2
top:
    beqz    a0, top
    bnez    a0, bottom
    blez    a0, top
    bgez    a0, bottom
    bltz    a0, top
    bgtz    a0, bottom
    bgt     a0, a1, top
    ble     a0, a1, bottom
    bgtu    a0, a1, top
    bleu    a0, a1, bottom
    j       top
    j       bottom
    jal     bottom
    jr      ra
    jalr    t0
    ret
    call    func
    call    t0, func
    tail    func
    jump    func, t2
    lb      a0, message
    lh      a0, message
    lw      a0, table
    lbu     a0, message
    lhu     a0, message
    sb      a0, table, t0
    sh      a0, table, t1
    sw      a0, table + 4, t2
    fence
    csrr    a0, mstatus
    csrw    mstatus, a0
    csrs    mstatus, a0
    csrc    mstatus, a0
    csrwi   mstatus, 1
    csrsi   mstatus, 2
    csrci   mstatus, 3
    rdtime  a0
    rdtimeh a0
    rdcycle a0
    rdcycleh a0
    rdinstret a0
    rdinstreth a0
bottom:
func:
    ret

    .data
message:
    .asciz  "hello"
    .align  2
table:
    .word   1, 2, 3
