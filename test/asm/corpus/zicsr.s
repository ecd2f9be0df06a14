# Every Zicsr row, CSRs by name (from isa/csrs.ts) and by number, and the CSR pseudo-instructions.
    .text
    .globl _start
_start:
    csrrw   a0, mstatus, a1
    csrrs   a0, mie, a1
    csrrc   a0, mip, zero
    csrrwi  a0, mtvec, 0
    csrrsi  a0, mscratch, 31
    csrrci  a0, mepc, 17
    csrrw   t0, 0x340, t1
    csrrs   t0, 4095, zero
    csrrw   a0, mcause, 5
    csrrs   a0, mtval, 5
    csrrc   a0, misa, 5
    csrr    a0, mhartid
    csrr    a1, mvendorid
    csrr    a2, marchid
    csrr    a3, mimpid
    csrr    a4, seed
    csrr    a5, instret
    csrr    a6, mcycle
    csrr    a7, minstret
    csrr    s0, mcycleh
    csrr    s1, minstreth
    csrw    mtvec, a0
    csrs    mie, t0
    csrc    mip, t1
    csrw    mscratch, 7
    csrs    mstatus, 8
    csrc    mstatus, 31
    csrwi   mepc, 0
    csrsi   mstatus, 8
    csrci   mstatus, 8
    rdcycle   a0
    rdcycleh  a1
    rdtime    a2
    rdtimeh   a3
    rdinstret a4
    rdinstreth a5
    csrr    t0, cycle
    csrr    t0, cycleh
    csrr    t0, time
    csrr    t0, timeh
    csrr    t0, instreth
    unimp
