# Xshadow instructions (XSHADOW.md section 4) and CSRs. GNU as does not know them: the GNU rendering
# of this file is made by gnu.test.ts, which rewrites each Xshadow line as `.insn r`/`.insn i` with
# the fields of its row in isa/instructions.ts.
    .text
    .globl _start
_start:
    addv    a0, a1, a2
    subv    t0, t1, t2
    mulv    s0, s1, s2
    divv    x31, x30, x29
    drain
    io      a0, a1
    io      zero, sp
    halt    a0
    halt    x31
    csrr    a0, xtv1
    csrw    xtv2, a0
    csrw    xioq, a0
    csrwi   xioqn, 16
    csrr    a0, xtimer
