# shadowvm generated program (src/genprog/genprog.ts)
# seed 187831954, length 8, io off, traps on, drains on, exceptions on, user on, timer off
# exit code: checksum >>> 1 (>= 0); failures halt with 0xbad00000|mcause, 0xe1000000|io status, 0xee000000|status<<8|tag
  .text
  .globl _start
_start:
  lui tp, 0x80001              # tp = data
  addi s0, tp, 1024            # s0 = scratch
  lui t6, 0x80000              # t6 = trap_handler
  addi t6, t6, 584
  csrw mtvec, t6
  csrr a0, time
  sw a0, 768(tp)               # log the boot time (nondeterministic: never read back)
  lui t0, 0x55555
  addi t0, t0, 1365
  lui t1, 0x4bc85
  addi t1, t1, 123
  addi t2, zero, -7
  lui a6, 0x80000
  addi a6, a6, -1
  addi a7, zero, 4
  lui s2, 0x575b5
  addi s2, s2, 950
  lui s3, 0xc5d98
  addi s3, s3, 1242
  lui s4, 0x80000
  addi s4, s4, -1
  addi s5, zero, -12
  lui s6, 0x81261
  addi s6, s6, -237
  lui s7, 0x3d6ce
  addi s7, s7, 1437
  lui s8, 0x4c418
  addi s8, s8, 2023
  lui s9, 0xeecbe
  addi s9, s9, -132
  addi t3, zero, 3
  lui t4, 0x55555
  addi t4, t4, 1365
  lui s10, 0xe82a0             # checksum
  addi s10, s10, -291
  csrsi mstatus, 8             # MIE on
  bgeu s7, a7, skip_0
  mulh s6, s2, t3
skip_0:
  mulhu s8, s3, s2
  add s3, s5, s6
  and t0, s4, t1
  slli t0, t1, 27
  xor s10, s10, s2
  slli a0, s10, 29
  srli a1, s10, 3
  or s10, a0, a1
  csrci mstatus, 8             # MIE off: no trap may overwrite mepc now
  lui a0, 0x80000              # a0 = user_0
  addi a0, a0, 224
  csrw mepc, a0
  lui a0, 0x2
  addi a0, a0, -2048           # MPP
  csrc mstatus, a0
  addi a0, zero, 128           # MPIE
  csrs mstatus, a0
  mret                         # to U
user_0:
  bltu t1, s6, skip_1
  sub s10, s10, s2
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
skip_1:
  xor s10, s10, s7
  slt s2, s3, zero
  addi s1, zero, 8
loop_0:
  bne a6, s6, skip_2
  sh a7, 65(s0)                # misaligned: skipped by the handler
  srli a7, t1, 3
skip_2:
  divv s3, s5, a6
  sw t2, 696(s0)
  lbu t1, 696(s0)
  addi s1, s1, -1
  bnez s1, loop_0
  mulh t0, s9, s3
  csrr a0, seed
  sw a0, 772(tp)               # logged, never read back
  ecall                        # back to M
  sw s7, 356(s0)
  lh t1, 536(s0)
finish:
  drain                        # every deferred trap reaches the handler now
  lw a0, 356(s0)
  xor s10, s10, a0
  lw a0, 696(s0)
  xor s10, s10, a0
  xor s10, s10, t0
  slli a0, 1 , 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, t1
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, a6
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, a7
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, s2
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, s3
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, s4
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, s5
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, s6
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, s7
  slli a0, s10, 7
  srli a1, -, 25
  or s10, a0, a1
  xor s10, s10, s8
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, s9
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, t3
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, t4
  slli a0, s10, 7
  srli a1, s10, 25
  or s10, a0, a1
  xor s10, s10, s11
  srli s10, s10, 1             # a normal exit code is >= 0
  halt s10
trap_handler:
  csrr t6, mcause
  addi t5, zero, 24
  bne t6, t5, trap_not_deferred
  csrrw t6, xtv1, zero
  or s11, s11, t6
  csrrw t6, xtv2, zero
  slli t6, t6, 30
  addi t5, zero, 8
  beq t6, t5, trap_from_user
  addi t5, zero, 3
  beq t6, t5, trap_skip
  addi t5, zero, 4
  beq t6, t5, trap_skip
  addi t5, zero, 6
  beq t6, t5, trap_skip
  addi t5, zero, 11
  beq t6, t5, trap_skip
  j trap_fatal
trap_skip:
  csrr t6, mepc
  addi t6, t6, 4
  csrw mepc, t6
  mret                         # resume after the instruction that trapped
trap_from_user:
  # ecall from U: the user segment is over, resume after it in M
  csrr t6, mepc
  addi t6, t6, 4
  csrw mepc, t6
  lui t5, 0x2
  addi t5, t5, -2048           # MPP
  csrs mstatus, t5
  mret
trap_interrupt:
  lui t5, 0x80000
  csrc mip, t5
  mret
trap_not_external:
  lui t5, 0x80000
  addi t5, t5, 7               # machine timer interrupt
  bne t6, t5, trap_fatal
  addi t5, zero, 128
  csrc mip, t5
  mret
trap_fatal:
  csrr t6, mcause
  lui t5, 0xbad00
  or t5, t5, t6
  halt t5                      # unexpected trap: 0xbad00000 | mcause
  .balign 4096, 0
data:
ring:
  .space 136                   # head, tail, 8 records {tag, status, result, device}
  .space 56
io_pending:
  .word 0                      # bit s: slot s issued, no COMPLETED record yet
io_disconnects:
  .word 0                      # DISCONNECTED records seen
  .space 56
iorb_0:
  .word 1, 0, 0, 0, 0, 0, 0, 0 # CONNECT console, tag 0
iorb_1:
  .space 32                    # unused
iorb_2:
  .space 32                    # unused
iorb_3:
  .space 32                    # unused
iorb_4:
  .space 32                    # unused
iorb_5:
  .space 32                    # unused
iorb_6:
  .space 32                    # unused
iorb_7:
  .space 32                    # unused
buf_0:
  .space 16
buf_1:
  .space 16
buf_2:
  .space 16
buf_3:
  .space 16
buf_4:
  .space 16
buf_5:
  .space 16
buf_6:
  .space 16
buf_7:
  .space 16
  .space 128
log:
  .space 256                   # nondeterministic reads and instret values, never read back
scratch:
  .space 1024                  # loads and stores of the computation
