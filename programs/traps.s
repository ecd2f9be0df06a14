# traps.s: deferred traps (XSHADOW.md 3, 4.1) seen by a guest handler.
#
# Installs a handler for mcause 24 that reads xtv1/xtv2 (0x7C0/0x7C1), clears exactly the bits it read,
# and counts: deliveries, OVF deliveries, DIVZ deliveries, and the OR of every V1 (which registers were
# destinations of trapping instructions). Then runs five trapping instructions and one that does not
# trap, each followed by `drain`, so that each trap is delivered exactly once, before the next
# instruction that could trap, whatever delay the hardware drew (0..D) and under any seed:
#   addv a0 = INT_MAX + 1 (OVF, x10)    subv a1 = INT_MIN - 1 (OVF, x11)    mulv a2 = 2^16 * 2^16 (OVF, x12)
#   divv a3 = 5 / 0 (DIVZ, x13)         divv a4 = INT_MIN / -1 (OVF, x14)    addv a5 = 1 + 2 (no trap)
# and checks the wrapped results. Prints the counts on the console.
# Exit code: 10 * OVF deliveries + DIVZ deliveries (41), plus 100 if a result or a count is wrong;
# 200 + mcause for an unexpected trap; 255 for an I/O failure.
#
# Deferred traps reach an M-mode guest only while mstatus.MIE = 1, so the trap section runs with MIE
# set and mie.MEIE clear (no interrupt can be taken); the I/O part runs with MIE clear and MEIE set.

    .equ CONSOLE, 0
    .equ OP_CONNECT, 1
    .equ OP_WRITE, 3
    .equ REC_DISCONNECTED, 1
    .equ NOT_CONNECTED, -3
    .equ MEIP, 0x800
    .equ RING, 0x80100000
    .equ RING_CAP, 8
    .equ RING_MASK, 7
    .equ NUMBUF, 0x80100100     # digits of print_uint / print_hex

    .text
start:
    la      t0, handler
    csrw    mtvec, t0
    li      t0, RING_CAP
    csrw    0x7C3, t0           # xioqn
    li      t0, RING
    csrw    0x7C2, t0           # xioq

    # ---- the trap section: MIE on, no interrupt enabled ----
    csrsi   mstatus, 8          # mstatus.MIE
    li      t0, 0x7fffffff
    li      t1, 1
    addv    a0, t0, t1
    drain
    li      t0, 0x80000000
    subv    a1, t0, t1
    drain
    li      t0, 0x10000
    mulv    a2, t0, t0
    drain
    li      t0, 5
    divv    a3, t0, zero
    drain
    li      t0, 0x80000000
    li      t1, -1
    divv    a4, t0, t1
    drain
    li      t0, 1
    li      t1, 2
    addv    a5, t0, t1
    drain
    csrci   mstatus, 8

    # ---- check the results: s1 = 0 when all are right ----
    li      s1, 0
    li      t0, 0x80000000
    bne     a0, t0, 1f
    li      t0, 0x7fffffff
    bne     a1, t0, 1f
    bnez    a2, 1f
    li      t0, -1
    bne     a3, t0, 1f
    li      t0, 0x80000000
    bne     a4, t0, 1f
    li      t0, 3
    bne     a5, t0, 1f
    la      t0, hsave
    lw      t1, 12(t0)          # V1 seen
    li      t2, 0x7c00          # x10..x14
    bne     t1, t2, 1f
    lw      t1, 24(t0)          # deliveries
    li      t2, 5
    bne     t1, t2, 1f
    j       2f
1:  li      s1, 100
2:
    # ---- report ----
    li      t0, MEIP
    csrs    mie, t0             # wfi wakes on a record
    la      a0, iorb_connect
    call    submit_wait
    bnez    a0, fail
    la      a0, msg_ovf
    call    print
    la      t0, hsave
    lw      a0, 16(t0)
    call    print_uint
    la      a0, msg_divz
    call    print
    la      t0, hsave
    lw      a0, 20(t0)
    call    print_uint
    la      a0, msg_deliv
    call    print
    la      t0, hsave
    lw      a0, 24(t0)
    call    print_uint
    la      a0, msg_v1
    call    print
    la      t0, hsave
    lw      a0, 12(t0)
    call    print_hex
    la      a0, msg_ok
    beqz    s1, 3f
    la      a0, msg_wrong
3:  call    print
    la      t0, hsave
    lw      t1, 16(t0)
    li      t2, 10
    mul     a0, t1, t2
    lw      t1, 20(t0)
    add     a0, a0, t1
    add     a0, a0, s1
    halt    a0
fail:
    li      a0, 255
    halt    a0

# The trap handler. Runs with MIE = 0 (set by the trap), so it cannot be re-entered; it saves the
# three temporaries it uses in hsave, and t0 in mscratch.
handler:
    csrw    mscratch, t0
    la      t0, hsave
    sw      t1, 0(t0)
    sw      t2, 4(t0)
    sw      t3, 8(t0)
    csrr    t1, mcause
    li      t2, 24
    bne     t1, t2, unexpected
    csrr    t1, 0x7C0           # xtv1
    csrr    t2, 0x7C1           # xtv2
    csrc    0x7C0, t1           # clear exactly what was read
    csrc    0x7C1, t2
    lw      t3, 12(t0)
    or      t3, t3, t1
    sw      t3, 12(t0)          # V1 seen
    andi    t3, t2, 1
    lw      t1, 16(t0)
    add     t1, t1, t3
    sw      t1, 16(t0)          # OVF deliveries
    srli    t3, t2, 1
    andi    t3, t3, 1
    lw      t1, 20(t0)
    add     t1, t1, t3
    sw      t1, 20(t0)          # DIVZ deliveries
    lw      t1, 24(t0)
    addi    t1, t1, 1
    sw      t1, 24(t0)          # deliveries
    lw      t1, 0(t0)
    lw      t2, 4(t0)
    lw      t3, 8(t0)
    csrr    t0, mscratch
    mret
unexpected:
    addi    a0, t1, 200
    halt    a0

# print(a0 = NUL-terminated string): a positional console WRITE at conpos, then conpos += length.
print:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    mv      t0, a0
    li      t1, 0
1:  add     t2, t0, t1
    lbu     t2, 0(t2)
    beqz    t2, 2f
    addi    t1, t1, 1
    j       1b
2:  beqz    t1, 3f
    la      t2, iorb_print
    sw      t0, 12(t2)          # addr
    sw      t1, 16(t2)          # len
    la      t3, conpos
    lw      t4, 0(t3)
    sw      t4, 20(t2)          # offset
    add     t4, t4, t1
    sw      t4, 0(t3)
    mv      a0, t2
    call    submit_wait
    bnez    a0, fail
3:  lw      ra, 12(sp)
    addi    sp, sp, 16
    ret

# print_uint(a0): decimal.
print_uint:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    li      t0, NUMBUF
    addi    t0, t0, 15
    sb      zero, 0(t0)
    li      t2, 10
1:  addi    t0, t0, -1
    remu    t1, a0, t2
    addi    t1, t1, 48
    sb      t1, 0(t0)
    divu    a0, a0, t2
    bnez    a0, 1b
    mv      a0, t0
    call    print
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret

# print_hex(a0): "0x" and 8 hex digits.
print_hex:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    li      t0, NUMBUF
    li      t1, 48              # '0'
    sb      t1, 0(t0)
    li      t1, 120             # 'x'
    sb      t1, 1(t0)
    sb      zero, 10(t0)
    addi    t0, t0, 9
    li      t3, 8
1:  andi    t1, a0, 15
    li      t2, 10
    blt     t1, t2, 2f
    addi    t1, t1, 39          # 'a' - '0' - 10
2:  addi    t1, t1, 48
    sb      t1, 0(t0)
    srli    a0, a0, 4
    addi    t0, t0, -1
    addi    t3, t3, -1
    bnez    t3, 1b
    li      a0, NUMBUF
    call    print
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret

# submit_wait(a0 = IORB) -> a0 = record status or negative io status, a1 = result (see hello.s).
submit_wait:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    mv      s0, a0
1:  io      t0, s0
    beqz    t0, 2f
    li      t1, NOT_CONNECTED
    bne     t0, t1, 4f
    lw      t2, 0(s0)
    li      t1, OP_CONNECT
    beq     t2, t1, 4f
    la      a0, iorb_connect
    call    submit_wait         # Rule 0: connect, then issue again
    bnez    a0, 5f
    j       1b
2:  call    next_record
    li      t1, REC_DISCONNECTED
    beq     a1, t1, 3f
    lw      t2, 8(s0)
    bne     a0, t2, 2b
    mv      a0, a1
    mv      a1, a2
    j       5f
3:  lw      t2, 4(s0)
    bne     a3, t2, 2b
    j       1b                  # Rule 3: issue it again (io says -3 first, so it reconnects)
4:  mv      a0, t0
5:  lw      ra, 12(sp)
    lw      s0, 8(sp)
    addi    sp, sp, 16
    ret

# next_record() -> a0 tag, a1 status, a2 result, a3 device (see hello.s).
next_record:
    li      t0, RING
1:  li      t1, MEIP
    csrc    mip, t1
    lw      t2, 0(t0)
    lw      t3, 4(t0)
    bne     t2, t3, 2f
    wfi
    j       1b
2:  andi    t4, t2, RING_MASK
    slli    t4, t4, 4
    add     t4, t4, t0
    lw      a0, 8(t4)
    lw      a1, 12(t4)
    lw      a2, 16(t4)
    lw      a3, 20(t4)
    addi    t2, t2, 1
    sw      t2, 0(t0)
    ret

    .data
    .align  2
hsave:                          # t1, t2, t3, V1 seen, OVF, DIVZ, deliveries
    .word   0, 0, 0, 0, 0, 0, 0
conpos:
    .word   0
iorb_connect:
    .word   OP_CONNECT, CONSOLE, 1, 0, 0, 0, 0, 0
iorb_print:
    .word   OP_WRITE, CONSOLE, 2, 0, 0, 0, 0, 0
msg_ovf:
    .asciz  "traps: ovf="
msg_divz:
    .asciz  " divz="
msg_deliv:
    .asciz  " deliveries="
msg_v1:
    .asciz  " v1="
msg_ok:
    .asciz  " results ok\n"
msg_wrong:
    .asciz  " results WRONG\n"
