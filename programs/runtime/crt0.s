# crt0.s: entry point of every C guest program (GNU as, rv32im_zicsr).
#
# At reset the machine is in M mode with every register 0 except sp = top of RAM and all
# interrupts disabled (XSHADOW.md 1). _start sets gp for linker relaxation, zeroes .bss,
# installs the trap vector, initialises the runtime (completion ring), calls main, lets the
# runtime flush the console and wait for every outstanding I/O (rt_fini), and halts with
# main's return value as the exit code. rt_init also sets mstatus.MIE, so that deferred traps
# reach the handler while main runs (see console.c).

    # .file gives the symbol table a fixed name (not the temporary object's), for byte-identical builds.

    .file   "crt0.s"
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$       # gp must not be relaxed against itself
    .option pop
    andi    sp, sp, -16                 # ABI stack alignment (top of RAM already is)

    la      t0, __bss_start         # both 16-byte aligned (linker.ld): 4 words a turn
    la      t1, __bss_end
    j       2f
1:  sw      zero, 0(t0)
    sw      zero, 4(t0)
    sw      zero, 8(t0)
    sw      zero, 12(t0)
    addi    t0, t0, 16
2:  bltu    t0, t1, 1b

    la      t0, rt_trap_entry
    csrw    mtvec, t0

    call    rt_init
    call    main
    call    rt_fini                     # a0 = exit code, after output is flushed
    .insn i 0x2b, 1, x0, a0, 0          # halt a0
3:  j       3b
