# hello.s: "hello, world" on the console through the I/O model of XSHADOW.md 6.
#
# Sets up a completion ring, CONNECTs the console, WRITEs the greeting at stream offset 0, and waits
# for each completion record. submit_wait follows the patent's corollary: on a DISCONNECTED record for
# the operation's device it issues the operation again (io then answers -3, not connected, so it
# connects first); positional devices absorb the duplicate. No trap handler: nothing here traps.
# Exit code: the bytes the WRITE's completion record reports (13), or 255 on an I/O failure.
# Assembled by the project's assembler (Xshadow mnemonics: io, halt); runs as a flat binary or ELF.

    .equ CONSOLE, 0
    .equ OP_CONNECT, 1
    .equ OP_WRITE, 3
    .equ REC_DISCONNECTED, 1
    .equ NOT_CONNECTED, -3
    .equ MEIP, 0x800            # mip.MEIP and mie.MEIE: bit 11
    .equ RING, 0x80100000       # completion ring: free RAM, zero at load
    .equ RING_CAP, 8            # records (a power of two)
    .equ RING_MASK, 7           # RING_CAP - 1

    .text
start:
    li      t0, RING_CAP
    csrw    0x7C3, t0           # xioqn
    li      t0, RING
    csrs    mie, t0             # wfi wakes on a record (mstatus.MIE stays 0: no interrupts taken)

    la      a0, iorb_connect
    call    submit_wait
    bnez    a0, fail
    la      a0, iorb_write
    call    submit_wait
    bnez    a0, fail
    mv      a0, a1              # bytes written
    halt    a0
fail:
    li      a0, 255
    halt    a0

# submit_wait(a0 = IORB) -> a0 = record status (0 COMPLETED, 2 ERROR) or a negative io status,
# a1 = record result. Reissues the operation after a DISCONNECTED record for its device.
submit_wait:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    mv      s0, a0
1:  io      t0, s0
    beqz    t0, 2f
    li      t1, NOT_CONNECTED
    bne     t0, t1, 4f          # refused for another reason: give up with that status
    lw      t2, 0(s0)
    li      t1, OP_CONNECT
    beq     t2, t1, 4f          # a CONNECT cannot be "not connected"
    lw      a0, 4(s0)
    call    connect             # Rule 0: connect, then issue again
    bnez    a0, 5f
    j       1b
2:  call    next_record         # a0 tag, a1 status, a2 result, a3 device
    li      t1, REC_DISCONNECTED
    beq     a1, t1, 3f
    lw      t2, 8(s0)
    bne     a0, t2, 2b          # not ours
    mv      a0, a1
    mv      a1, a2
    j       5f
3:  lw      t2, 4(s0)
    bne     a3, t2, 2b          # another device: it reconnects when its next io says -3
    j       1b                  # Rule 3: ours may or may not have happened: issue it again
4:  mv      a0, t0
5:  lw      ra, 12(sp)
    lw      s0, 8(sp)
    addi    sp, sp, 16
    ret

# connect(a0 = device) -> a0 = 0 when connected, else the failure status.
connect:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    la      t0, iorb_connect
    sw      a0, 4(t0)
    mv      a0, t0
    call    submit_wait
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret

# next_record() -> a0 tag, a1 status, a2 result, a3 device. Sleeps with wfi while the ring is empty:
# MEIP is cleared before looking, so a record produced after the look sets it again and wfi returns.
next_record:
    li      t0, RING
1:  li      t1, MEIP
    csrc    mip, t1
    lw      t2, 0(t0)           # head (ours)
    lw      t3, 4(t0)           # tail (the machine's)
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
iorb_connect:                   # op, device, tag, addr, len, offset, reserved, reserved
    .word   OP_CONNECT, CONSOLE, 1, 0, 0, 0, 0, 0
iorb_write:
    .word   OP_WRITE, CONSOLE, 2, greeting, 13, 0, 0, 0
greeting:
    .asciz  "hello, world\n"
