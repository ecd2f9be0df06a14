# virt-crt0.s: entry for QEMU's virt board (-bios none: the kernel starts at 0x80000000 in M mode).
# Sets the stack, calls main rt_repeat times (virt-shim.c), and stops QEMU through the SiFive test
# device (0x5555 = pass).
    .section .text.start
    .globl _start
_start:
    la sp, __stack_top
    la t0, rt_repeat
    lw s0, 0(t0)
1:  call main
    addi s0, s0, -1
    bnez s0, 1b
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
2:  j 2b
