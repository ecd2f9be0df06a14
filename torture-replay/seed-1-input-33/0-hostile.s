  .text
  .globl _start
_start:
  la t0, h_skip
  csrw mtvec, t0
  li t0, 0x81000004
  csrc xioqn, t0
  la t0, h_recurse
  csrw mtvec, t0
  la t1, iorbs
  li t0, 1
  sw t0, 0(t1)
  li t0, 0
  sw t0, 4(t1)
  li s2, 0x64
connects_0:
  sw s2, 8(t1)
  io a1, t1
  addi s2, s2, -1
  bnez s2, connects_0
  la t1, iorbs+2
  li t0, 0x4
  sw t0, 0(t1)
  li t0, 0x0
  sw t0, 4(t1)
  li t0, 0x80000000
  sw t0, 8(t1)
  li t0, 0x20
  sw t0, 12(t1)
  li t0, 0x1000
  sw t0, 16(t1)
  li t0, 0xffe00
  sw t0, 20(t1)
  li t0, 0x0
  sw t0, 24(t1)
  li t0, 0x0
  sw t0, 28(t1)
  io a1, t1
  li t0, 0x10500073
  li s3, 2
smc_1:
  addi a2, a2, 1
  la t2, smc_1
  sw t0, 0(t2)
  addi s3, s3, -1
  bnez s3, smc_1
again_2:
  li t0, 0x8f64b005
  .word 0x5abce0f3
  la t0, user_3
  csrw mepc, t0
  li t0, 0x39dfdee5
  csrw mstatus, t0
  mret
user_3:
  csrr t0, mstatus
  li t0, 0x80100000
  .word 0x39db74f3
  la t0, ring
  csrw xioq, t0
  li t0, 0x3
  csrw xioqn, t0
  li t0, 0x400
  csrc mstatus, t0
  li a0, 0xffff
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
