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
    la      gp, __global_pointer$       # gp must not 