import { describe, expect, it } from 'vitest';
import { CSR_BY_NAME, RAM_BASE } from '../../isa/csrs.js';
import { encode } from '../../src/asm/encode.js';
import { Cpu } from '../../src/cpu/cpu.js';
import { executeSensitive, type SensitiveEnv, type SensitiveOutcome } from '../../src/cpu/sensitive.js';

const csr = (name: string): number => CSR_BY_NAME.get(name)!.number;

interface Env extends SensitiveEnv {
  reads: number[];
  ios: number[];
}

function env(): Env {
  const e: Env = {
    reads: [],
    ios: [],
    nondet: (n) => {
      e.reads.push(n);
      return 0x1234_0000 + e.reads.length;
    },
    io: (addr) => {
      e.ios.push(addr);
      return -3;
    },
  };
  return e;
}

function fresh(): Cpu {
  const cpu = Cpu.create({ ramBytes: 64 * 1024, trapDelayMax: 16, trapSeed: 1 });
  cpu.state.pc = RAM_BASE + 0x40;
  return cpu;
}

/** Executes one sensitive instruction (by mnemonic and operands) at pc. */
function exec(cpu: Cpu, mnemonic: string, ops: Parameters<typeof encode>[1] = {}, e: SensitiveEnv = env()): SensitiveOutcome {
  const w = encode(mnemonic, ops);
  cpu.writeWord(cpu.state.pc, w);
  return executeSensitive(cpu, w, e);
}

const ILLEGAL = (w: number): SensitiveOutcome => ({ kind: 'exception', cause: 2, tval: w >>> 0 });

describe('CSR instructions', () => {
  it('csrrw/csrrs/csrrc and the immediate forms: old value to rd, new value in the CSR', () => {
    const cpu = fresh();
    const r = cpu.state.regs;
    const c = cpu.state.csr;
    r[5] = 0xf0f0;
    expect(exec(cpu, 'csrrw', { rd: 6, csr: csr('mscratch'), rs1: 5 })).toEqual({ kind: 'done' });
    expect(r[6]).toBe(0);
    expect(c.mscratch).toBe(0xf0f0);
    r[5] = 0x0f;
    exec(cpu, 'csrrs', { rd: 6, csr: csr('mscratch'), rs1: 5 });
    expect(r[6]).toBe(0xf0f0);
    expect(c.mscratch).toBe(0xf0ff);
    r[5] = 0xf000;
    exec(cpu, 'csrrc', { rd: 6, csr: csr('mscratch'), rs1: 5 });
    expect(c.mscratch).toBe(0x00ff);
    exec(cpu, 'csrrwi', { rd: 7, csr: csr('mscratch'), imm: 31 });
    expect(r[7]).toBe(0xff);
    expect(c.mscratch).toBe(31);
    exec(cpu, 'csrrsi', { rd: 0, csr: csr('mscratch'), imm: 0x20 - 1 });
    exec(cpu, 'csrrci', { rd: 7, csr: csr('mscratch'), imm: 1 });
    expect(c.mscratch).toBe(30);
    expect(cpu.state.pc).toBe(RAM_BASE + 0x40 + 6 * 4);
    expect(cpu.state.instret).toBe(6);
    r[5] = -1;
    exec(cpu, 'csrrw', { rd: 0, csr: csr('mscratch'), rs1: 5 });
    expect(c.mscratch).toBe(0xffffffff);
    exec(cpu, 'csrrs', { rd: 8, csr: csr('mscratch'), rs1: 0 });
    expect(r[8]).toBe(-1);
  });

  it('keeps only the bits that exist', () => {
    const cpu = fresh();
    const c = cpu.state.csr;
    cpu.state.regs[5] = -1;
    for (const name of ['mstatus', 'mie', 'mip', 'mtvec', 'mepc']) exec(cpu, 'csrrw', { rd: 0, csr: csr(name), rs1: 5 });
    expect(c.mstatus).toBe(0x1888); // MIE, MPIE, MPP = 3
    expect(c.mie).toBe(0x880);
    expect(c.mip).toBe(0x880);
    expect(c.mtvec).toBe(0xfffffffc);
    expect(c.mepc).toBe(0xfffffffc);
    cpu.state.regs[5] = 1 << 11; // MPP = 1 (S) does not exist: it becomes U
    exec(cpu, 'csrrw', { rd: 0, csr: csr('mstatus'), rs1: 5 });
    expect(c.mstatus).toBe(0);
  });

  it('constants and counters', () => {
    const cpu = fresh();
    cpu.state.instret = 2 ** 32 + 5;
    exec(cpu, 'csrrs', { rd: 5, csr: csr('instret'), rs1: 0 });
    expect(cpu.state.regs[5]).toBe(5);
    exec(cpu, 'csrrs', { rd: 5, csr: csr('instreth'), rs1: 0 });
    expect(cpu.state.regs[5]).toBe(1);
    exec(cpu, 'csrrs', { rd: 5, csr: csr('minstret'), rs1: 0 });
    expect(cpu.state.regs[5]).toBe(7); // the value before this instruction
    exec(cpu, 'csrrs', { rd: 5, csr: csr('misa'), rs1: 0 });
    expect(cpu.state.regs[5] >>> 0).toBe(0x40901100); // RV32 I M U X
    exec(cpu, 'csrrs', { rd: 5, csr: csr('mhartid'), rs1: 0 });
    expect(cpu.state.regs[5]).toBe(0);
  });

  it('nondeterministic CSRs come from the environment, and only when read', () => {
    const cpu = fresh();
    const e = env();
    for (const name of ['time', 'timeh', 'cycle', 'cycleh', 'mcycle', 'mcycleh', 'seed'])
      exec(cpu, 'csrrs', { rd: 5, csr: csr(name), rs1: 0 }, e);
    expect(e.reads).toEqual(['time', 'timeh', 'cycle', 'cycleh', 'mcycle', 'mcycleh', 'seed'].map(csr));
    expect(cpu.state.regs[5]).toBe(0x1234_0007);
    exec(cpu, 'csrrw', { rd: 0, csr: csr('seed'), rs1: 5 }, e); // a write without a read: writes are ignored
    expect(e.reads).toHaveLength(7);
  });

  it('illegal: unknown CSRs, writes to read-only CSRs, M CSRs from U (pc stays, counted)', () => {
    const cpu = fresh();
    const tries: Array<[string, Parameters<typeof encode>[1], 0 | 3]> = [
      ['csrrs', { rd: 5, csr: 0x180, rs1: 0 }, 3], // satp: not on this machine
      ['csrrw', { rd: 0, csr: csr('instret'), rs1: 5 }, 3],
      ['csrrs', { rd: 5, csr: csr('cycle'), rs1: 6 }, 3],
      ['csrrwi', { rd: 5, csr: csr('misa'), imm: 0 }, 3],
      ['csrrs', { rd: 5, csr: csr('mstatus'), rs1: 0 }, 0],
      ['csrrs', { rd: 5, csr: csr('xtv1'), rs1: 0 }, 0],
    ];
    for (const [m, ops, mode] of tries) {
      cpu.state.mode = mode;
      const before = { pc: cpu.state.pc, instret: cpu.state.instret };
      expect(exec(cpu, m, ops), `${m} ${JSON.stringify(ops)}`).toEqual(ILLEGAL(encode(m, ops)));
      expect(cpu.state.pc).toBe(before.pc);
      expect(cpu.state.instret).toBe(before.instret + 1);
    }
    cpu.state.mode = 0;
    expect(exec(cpu, 'csrrs', { rd: 5, csr: csr('time'), rs1: 0 })).toEqual({ kind: 'done' });
    expect(exec(cpu, 'csrrs', { rd: 5, csr: csr('instret'), rs1: 0 })).toEqual({ kind: 'done' });
    expect(exec(cpu, 'csrrs', { rd: 5, csr: csr('seed'), rs1: 0 })).toEqual({ kind: 'done' });
    expect(exec(cpu, 'csrrsi', { rd: 5, csr: csr('cycle'), imm: 0 })).toEqual({ kind: 'done' });
  });

  it('the guest clears delivered trap vectors and pending interrupts by writing', () => {
    const cpu = fresh();
    const c = cpu.state.csr;
    c.xtv1 = 0b1010;
    c.mip = 0x880;
    cpu.state.regs[5] = 0b10;
    exec(cpu, 'csrrc', { rd: 0, csr: csr('xtv1'), rs1: 5 });
    expect(c.xtv1).toBe(0b1000);
    cpu.state.regs[5] = 0x80;
    exec(cpu, 'csrrc', { rd: 0, csr: csr('mip'), rs1: 5 });
    expect(c.mip).toBe(0x800);
  });
});

describe('privileged and Xshadow system instructions', () => {
  it('ecall and ebreak are exceptions: pc stays, counted', () => {
    const cpu = fresh();
    expect(exec(cpu, 'ecall')).toEqual({ kind: 'exception', cause: 11, tval: 0 });
    cpu.state.mode = 0;
    expect(exec(cpu, 'ecall')).toEqual({ kind: 'exception', cause: 8, tval: 0 });
    expect(exec(cpu, 'ebreak')).toEqual({ kind: 'exception', cause: 3, tval: RAM_BASE + 0x40 });
    expect(cpu.state.pc).toBe(RAM_BASE + 0x40);
    expect(cpu.state.instret).toBe(3);
  });

  it('mret restores mode and MIE, sets MPIE and MPP = U; illegal in U', () => {
    const cpu = fresh();
    const c = cpu.state.csr;
    c.mepc = RAM_BASE + 0x200;
    c.mstatus = 0x80; // MPIE, MPP = U
    expect(exec(cpu, 'mret')).toEqual({ kind: 'done' });
    expect(cpu.state.pc).toBe(RAM_BASE + 0x200);
    expect(cpu.state.mode).toBe(0);
    expect(c.mstatus).toBe(0x88);
    expect(exec(cpu, 'mret')).toEqual(ILLEGAL(encode('mret')));
    cpu.state.mode = 3;
    c.mstatus = 3 << 11; // MPIE = 0, MPP = M
    cpu.state.pc = RAM_BASE;
    exec(cpu, 'mret');
    expect(cpu.state.mode).toBe(3);
    expect(c.mstatus).toBe(0x80);
  });

  it('wfi returns to the caller and advances; illegal in U', () => {
    const cpu = fresh();
    expect(exec(cpu, 'wfi')).toEqual({ kind: 'wfi' });
    expect(cpu.state.pc).toBe(RAM_BASE + 0x44);
    cpu.state.mode = 0;
    expect(exec(cpu, 'wfi')).toEqual(ILLEGAL(encode('wfi')));
  });

  it("io puts the environment's status in rd; halt returns rs1; both M only", () => {
    const cpu = fresh();
    const e = env();
    cpu.state.regs[11] = RAM_BASE + 0x100;
    expect(exec(cpu, 'io', { rd: 10, rs1: 11 }, e)).toEqual({ kind: 'done' });
    expect(e.ios).toEqual([RAM_BASE + 0x100]);
    expect(cpu.state.regs[10]).toBe(-3);
    cpu.state.regs[12] = -7;
    expect(exec(cpu, 'halt', { rs1: 12 })).toEqual({ kind: 'halt', code: -7 });
    expect(cpu.state.pc).toBe(RAM_BASE + 0x48);
    cpu.state.mode = 0;
    expect(exec(cpu, 'io', { rd: 10, rs1: 11 }, e)).toEqual(ILLEGAL(encode('io', { rd: 10, rs1: 11 })));
    expect(exec(cpu, 'halt', { rs1: 12 })).toEqual(ILLEGAL(encode('halt', { rs1: 12 })));
    expect(e.ios).toHaveLength(1);
  });

  it('drain (Drain_Priv 1) is handed to the caller, counted and stepped over', () => {
    const cpu = fresh();
    cpu.state.drainPriv = 1;
    expect(exec(cpu, 'drain')).toEqual({ kind: 'drain' });
    expect(cpu.state.pc).toBe(RAM_BASE + 0x44);
    expect(cpu.state.instret).toBe(1);
  });

  it('counts in the recovery register and the trap countdown too', () => {
    const cpu = fresh();
    cpu.state.rr = 2;
    cpu.state.trap.countdown = 1;
    cpu.state.trap.v2 = 1;
    exec(cpu, 'wfi');
    expect(cpu.state.rr).toBe(1);
    expect(cpu.state.trap.countdown).toBe(0);
    exec(cpu, 'wfi');
    expect(cpu.state.rr).toBe(0);
    exec(cpu, 'wfi');
    expect(cpu.state.rr).toBe(0); // disarmed stays disarmed
  });

  it('a word that is not a sensitive instruction is a caller error', () => {
    const cpu = fresh();
    expect(() => executeSensitive(cpu, encode('addi', { rd: 1, rs1: 1, imm: 1 }), env())).toThrow(
      'executeSensitive: 0x108093 at pc 0x80000040 is not a sensitive instruction',
    );
  });
});

describe('exceptions and interrupts into the guest', () => {
  it('takeException: mepc = pc, mcause, mtval, MPIE = MIE, MIE = 0, MPP = mode, pc = mtvec', () => {
    const cpu = fresh();
    const c = cpu.state.csr;
    c.mtvec = RAM_BASE + 0x400;
    c.mstatus = 8;
    cpu.state.mode = 0;
    expect(cpu.takeException(5, 0x1234)).toBeUndefined();
    expect(c.mepc).toBe(RAM_BASE + 0x40);
    expect(c.mcause).toBe(5);
    expect(c.mtval).toBe(0x1234);
    expect(c.mstatus).toBe(0x80);
    expect(cpu.state.mode).toBe(3);
    expect(cpu.state.pc).toBe(RAM_BASE + 0x400);
  });

  it('with mtvec = 0 a trap is a guest fault naming pc, cause, tval and the word', () => {
    const cpu = fresh();
    cpu.writeWord(RAM_BASE + 0x40, 0xdeadbeef);
    expect(cpu.takeException(2, 0xdeadbeef)).toEqual({ pc: RAM_BASE + 0x40, cause: 2, tval: 0xdeadbeef, word: 0xdeadbeef });
    cpu.state.pc = 0x10;
    expect(cpu.takeException(1, 0x10)).toEqual({ pc: 0x10, cause: 1, tval: 0x10, word: undefined });
    expect(cpu.state.pc).toBe(0x10);
  });

  it('takePendingInterrupt: only enabled ones, only when the guest can; external before timer', () => {
    const cpu = fresh();
    const c = cpu.state.csr;
    c.mtvec = RAM_BASE + 0x400;
    expect(cpu.takePendingInterrupt()).toBe(false);
    c.mip = 0x880;
    expect(cpu.takePendingInterrupt()).toBe(false); // mie = 0
    c.mie = 0x880;
    expect(cpu.takePendingInterrupt()).toBe(false); // M with MIE = 0
    c.mstatus = 8;
    expect(cpu.takePendingInterrupt()).toBe(true);
    expect(c.mcause).toBe(0x8000000b);
    expect(c.mepc).toBe(RAM_BASE + 0x40);
    expect(c.mtval).toBe(0);
    expect(c.mip).toBe(0x880); // pending until the guest clears it
    expect(cpu.takePendingInterrupt()).toBe(false); // MIE is now 0
    cpu.state.mode = 0; // U: M interrupts are always enabled
    c.mip = 0x80;
    expect(cpu.takePendingInterrupt()).toBe(true);
    expect(c.mcause).toBe(0x80000007);
    c.mtvec = 0;
    cpu.state.mode = 0;
    expect(cpu.takePendingInterrupt()).toEqual({ pc: RAM_BASE + 0x400, cause: 0x80000007, tval: 0, word: 0 });
  });
});
