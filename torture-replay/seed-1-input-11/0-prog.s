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
    .asciz  "disk: read back MISMATCH\n"
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
    sw      255, 0(a0)
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
    addi    t2, t2,