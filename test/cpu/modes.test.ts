import { describe, expect, it } from 'vitest';
import { cpuWith, drive, image, LOOPS } from './helpers.js';

/**
 * A small kernel: enters U-mode code with mret, handles its ecalls (a7 = 1: add a0 to s2; a7 = 2: halt
 * with s2) and records any other trap's cause in s3, skipping the faulting instruction.
 */
const KERNEL = `
    la t0, trap
    csrw mtvec, t0
    la t0, user
    csrw mepc, t0
    li t0, 0x1800
    csrc mstatus, t0          # MPP = U
    mret
trap:
    csrr t0, mcause
    li t1, 8
    beq t0, t1, syscall
    mv s3, t0                 # another trap from U: remember its cause
    csrr s4, mstatus
    j skip
syscall:
    li t1, 2
    beq a7, t1, done
    add s2, s2, a0
skip:
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret
done:
    halt s2
user:
    li a0, 5
    li a7, 1
    ecall
    li a0, 7
    ecall
    USER_EXTRA
    li a7, 2
    ecall
`;

const kernel = (extra: string): string => KERNEL.replace('USER_EXTRA', extra);

describe.each(LOOPS)('privilege modes on the $loop', ({ specialised, blocks }) => {
  it('M enters U with mret; U calls M with ecall (cause 8); mret returns to U', () => {
    const cpu = cpuWith(kernel('nop'), { specialised, blocks });
    expect(drive(cpu)).toMatchObject({ code: 12 });
    expect(cpu.state.mode).toBe(3);
    expect(cpu.state.regs[19]).toBe(0);
  });

  it('U cannot touch M state: CSRs, mret, wfi, io, halt are illegal (cause 2), mstatus.MPP says U', () => {
    for (const insn of ['csrr a1, mstatus', 'csrw mtvec, zero', 'csrr a1, xtv1', 'mret', 'wfi', 'io a1, a2', 'halt a0']) {
      const cpu = cpuWith(kernel(insn), { specialised, blocks });
      expect(drive(cpu), insn).toMatchObject({ code: 12 });
      expect(cpu.state.regs[19], insn).toBe(2);
      expect((cpu.state.regs[20]! >> 11) & 3, insn).toBe(0); // MPP = U: the trap came from U
    }
  });

  it('U may read the counters, time and the entropy source', () => {
    const cpu = cpuWith(kernel('rdcycle a1\nrdtime a1\nrdinstret a1\ncsrr a1, seed'), { specialised, blocks });
    expect(drive(cpu)).toMatchObject({ code: 12 });
    expect(cpu.state.regs[19]).toBe(0);
  });

  it('U memory faults reach the kernel with the right cause', () => {
    const cpu = cpuWith(kernel('li a1, 3\nsw a1, 0(a1)'), { specialised, blocks });
    expect(drive(cpu)).toMatchObject({ code: 12 });
    expect(cpu.state.regs[19]).toBe(6); // misaligned store comes first
  });

  it('interrupts are taken in U even with mstatus.MIE = 0, and deferred traps are delivered in U', () => {
    const src = kernel('nop\nnop');
    const userAddr = image(src).symbols.find((x) => x.name === 'user')!.addr;
    const c2 = cpuWith(src, { specialised, blocks });
    c2.state.pc = userAddr;
    c2.state.mode = 0;
    c2.state.csr.mtvec = image(src).symbols.find((x) => x.name === 'trap')!.addr;
    c2.state.csr.mie = 0x800;
    c2.state.csr.mip = 0x800;
    expect(c2.canTakeDeferred()).toBe(true);
    expect(c2.takePendingInterrupt()).toBe(true);
    expect(c2.state.mode).toBe(3);
    expect(c2.state.csr.mepc).toBe(userAddr);
    expect(c2.state.csr.mcause).toBe(0x8000000b);
    expect((c2.state.csr.mstatus >> 11) & 3).toBe(0);
  });
});
