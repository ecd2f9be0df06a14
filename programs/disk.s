# disk.s: disk writer and reader through the I/O model of XSHADOW.md 6.
#
# Connects the console and the disk, fills NSECT sectors' worth of a buffer with a pattern, WRITEs them
# one sector per operation at sectors FIRST.., READs them all back with one operation into a second
# buffer, compares word by word, and prints the result. Every operation goes through submit_wait,
# which reissues it after a DISCONNECTED record for its device (the patent's corollary; see hello.s).
# Exit code: when the data matches, the low 7 bits of the XOR of every word read; 128 + 1 on a mismatch;
# 255 on an I/O failure.

    .equ CONSOLE, 0
    .equ DISK, 1
    .equ OP_CONNECT, 1
    .equ OP_READ, 2
    .equ OP_WRITE, 3
    .equ REC_DISCONNECTED, 1
    .equ NOT_CONNECTED, -3
    .equ MEIP, 0x800
    .equ RING, 0x80100000
    .equ RING_CAP, 8
    .equ RING_MASK, 7
    .equ WBUF, 0x80101000       # NSECT * 512 bytes written
    .equ RBUF, 0x80102000       # NSECT * 512 bytes read back
    .equ NSECT, 4
    .equ NWORDS, 512            # NSECT * 128
    .equ NBYTES, 2048           # NSECT * 512
    .equ FIRST, 8               # first sector
    .equ FIRST_BYTE, 4096       # FIRST * 512

    .text
start:
    li      t0, RING_CAP
    csrw    0x7C3, t0           # xioqn
    li      t0, RING
    csrw    0x7C2, t0           # xioq
    li      t0, MEIP
    csrs    mie, t0             # wfi wakes on a record; mstatus.MIE stays 0

    li      a0, CONSOLE
    call    connect
    bnez    a0, fail
    li      a0, DISK
    call    connect
    bnez    a0, fail

    # pattern: word i = (i * 0x9e3779b1) ^ 0x5a5a5a5a
    li      t0, WBUF
    li      t1, 0
    li      t2, NWORDS
    li      t3, 0x9e3779b1
    li      t4, 0x5a5a5a5a
1:  mul     t5, t1, t3
    xor     t5, t5, t4
    sw      t5, 0(t0)
    addi    t0, t0, 4
    addi    t1, t1, 1
    blt     t1, t2, 1b

    # one WRITE per sector
    li      s1, 0               # sector index
2:  la      a0, iorb_disk
    li      t0, OP_WRITE
    sw      t0, 0(a0)
    slli    t1, s1, 9
    li      t0, WBUF
    add     t0, t0, t1
    sw      t0, 12(a0)
    li      t0, 512
    sw      t0, 16(a0)
    li      t0, FIRST_BYTE
    add     t0, t0, t1
    sw      t0, 20(a0)
    call    submit_wait
    bnez    a0, fail
    addi    s1, s1, 1
    li      t0, NSECT
    blt     s1, t0, 2b
    la      a0, msg_wrote
    call    print

    # one READ of every sector
    la      a0, iorb_disk
    li      t0, OP_READ
    sw      t0, 0(a0)
    li      t0, RBUF
    sw      t0, 12(a0)
    li      t0, NBYTES
    sw      t0, 16(a0)
    li      t0, FIRST_BYTE
    sw      t0, 20(a0)
    call    submit_wait
    bnez    a0, fail
    li      t0, NBYTES
    bne     a1, t0, fail

    # compare; s2 = XOR of the words read
    li      t0, WBUF
    li      t1, RBUF
    li      t2, NWORDS
    li      s2, 0
3:  lw      t3, 0(t0)
    lw      t4, 0(t1)
    bne     t3, t4, mismatch
    xor     s2, s2, t4
    addi    t0, t0, 4
    addi    t1, t1, 4
    addi    t2, t2, -1
    bnez    t2, 3b
    la      a0, msg_ok
    call    print
    srli    t0, s2, 16
    xor     s2, s2, t0
    srli    t0, s2, 8
    xor     s2, s2, t0
    andi    a0, s2, 127
    halt    a0
mismatch:
    la      a0, msg_bad
    call    print
    li      a0, 129
    halt    a0
fail:
    li      a0, 255
    halt    a0

# connect(a0 = device) -> a0 = 0 when connected.
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
2:  la      t2, iorb_print
    sw      t0, 12(t2)
    sw      t1, 16(t2)
    la      t3, conpos
    lw      t4, 0(t3)
    sw      t4, 20(t2)
    add     t4, t4, t1
    sw      t4, 0(t3)
    mv      a0, t2
    call    submit_wait
    bnez    a0, fail
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
    lw      a0, 4(s0)
    call    connect             # Rule 0: connect, then issue again
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
conpos:
    .word   0
iorb_connect:
    .word   OP_CONNECT, CONSOLE, 1, 0, 0, 0, 0, 0
iorb_print:
    .word   OP_WRITE, CONSOLE, 2, 0, 0, 0, 0, 0
iorb_disk:
    .word   OP_WRITE, DISK, 3, 0, 0, 0, 0, 0
msg_wrote:
    .asciz  "disk: wrote 4 sectors\n"
msg_ok:
    .asciz  "disk: read back 2048 bytes, ok\n"
msg_bad:
    .asciz  "disk: read back MISMATCH\n"
