  .text
  .globl _start
_start:
  li t0, 0x80ffffee
  jr t0
  li t0, 0x81000004
  .word 0x304295f3
  la t1, 0x80ffffe4
  li t0, 0x2
  sw t0, 0(t1)
  li t0, 0x1
  sw t0, 4(t1)
  li t0, 0x8
  sw t0, 8(t1)
  la t0, buf+864
  sw t0, 12(t1)
  li t0, 0x0
  sw t0, 16(t1)
  li t0, 0x80fffffc
  sw t0, 20(t1)
  li t0, 0x0
  sw t0, 24(t1)
  li t0, 0x0
  sw t0, 28(t1)
  li s2, 0x1388
flood_0:
  io a1, t1
  addi s2, s2, -1
  bnez s2, flood_0
  la t0, user_1
  csrw mepc, t0
  li t0, 0x1f
  csrw mstatus, t0
  mret
user_1:
  csrr t0, mstatus
  li a0, 0x1a
  halt a0
h_skip:
  csrr t6, mepc
  addi t6, t6, 4
  csrw mepc, t6
  csrw mip, zero
  mret
h_recurse:
  ecall
  mret
  .data
  .balign 64
ring: .space 1024
iorbs: .space 1024
buf: .space 4096
