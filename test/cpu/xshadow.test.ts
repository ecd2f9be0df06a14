import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RAM_BASE } from '../../isa/csrs.js';
import { encode } from '../../src/asm/encode.js';
import { Cpu } from '../../src/cpu/cpu.js';
import { cpuWith, drive, image, LOOPS, useBlocks } from './helpers.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** A processor with `words` at RAM_BASE and the given registers. */
function cpuOf(
  words: number[],
  regs: Record<number, number> = {},
  o: { seed?: number; delay?: number; specialised?: boolean; blocks?: boolean } = {},
): Cpu {
  const cpu = Cpu.create({ ramBytes: 64 * 1024, trapDelayMax: o.delay ?? 16, trapSeed: o.seed ?? 1 });
  if (o.specialised) cpu.specialiseAfter = 0;
  cpu.engine = 'interp';
  if (o.blocks) useBlocks(cpu);
  cpu.load({ entry: RAM_BASE, segments: [{ addr: RAM_BASE, bytes: new Uint8Array(Uint32Array.from(words).buffer) }], symbols: [] });
  for (const [r, v] of Object.entries(regs)) cpu.state.regs[Number(r)] = v;
  return cpu;
}

const nops = (n: number): number[] => new Array<number>(n).fill(encode('addi', { rd: 0, rs1: 0, imm: 0 }));

describe.each(LOOPS)('Xshadow deferred traps on the $loop', ({ specialised, blocks }) => {
  it('records V1 (destination register) and V2 (class) without changing the result', () => {
    const cases: Array<[string, number, number, number, number]> = [
      ['addv', INT_MAX, 1, INT_MIN, 0b01],
      ['addv', INT_MIN, -1, INT_MAX, 0b01],
      ['subv', INT_MIN, 1, INT_MAX, 0b01],
      ['subv', 0, INT_MIN, INT_MIN, 0b01],
      ['mulv', 0x10000, 0x8000, INT_MIN, 0b01],
      ['mulv', INT_MIN, -1, INT_MIN, 0b01],
      ['divv', 5, 0, -1, 0b10],
      ['divv', INT_MIN, -1, INT_MIN, 0b01],
    ];
    for (const [m, a, b, result, v2] of cases) {
      const cpu = cpuOf([encode(m, { rd: 7, rs1: 11, rs2: 12 }), ...nops(40)], { 11: a, 12: b }, { specialised, blocks });
      const stop = cpu.run(1);
      expect(cpu.state.regs[7], m).toBe(result);
      expect(cpu.state.trap.v1, m).toBe(1 << 7);
      expect(cpu.state.trap.v2, m).toBe(v2);
      expect(['budget', 'traps']).toContain(stop.kind);
    }
  });

  it('no trap when the result fits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30000, max: 30000 }), fc.integer({ min: -30000, max: 30000 }), (a, b) => {
        for (const m of ['addv', 'subv', 'mulv']) {
          const cpu = cpuOf([encode(m, { rd: 5, rs1: 11, rs2: 12 })], { 11: a, 12: b }, { specialised, blocks });
          cpu.run(1);
          expect(cpu.state.trap.v2).toBe(0);
          expect(cpu.state.trap.countdown).toBe(-1);
        }
      }),
      { numRuns: 30 },
    );
    const cpu = cpuOf([encode('divv', { rd: 5, rs1: 11, rs2: 12 })], { 11: -7, 12: 2 }, { specialised, blocks });
    cpu.run(1);
    expect(cpu.state.regs[5]).toBe(-3);
    expect(cpu.state.trap.v2).toBe(0);
  });

  it('rd = x0: the trap is recorded (bit 0 of V1), x0 stays 0', () => {
    const cpu = cpuOf([encode('addv', { rd: 0, rs1: 11, rs2: 12 })], { 11: INT_MAX, 12: INT_MAX }, { specialised, blocks });
    cpu.run(1);
    expect(cpu.state.regs[0]).toBe(0);
    expect(cpu.state.trap.v1).toBe(1);
    expect(cpu.state.trap.v2).toBe(1);
  });

  it('delivers after a delay drawn from 0..D, right after the instruction that was delayed', () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 200; seed++) {
      const cpu = cpuOf(
        [encode('addv', { rd: 7, rs1: 11, rs2: 11 }), ...nops(40)],
        { 11: INT_MAX },
        { seed, delay: 5, specialised, blocks },
      );
      const stop = cpu.run(100);
      expect(stop).toEqual({ kind: 'traps', forced: 'delay' });
      const delay = cpu.state.instret - 1;
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(5);
      expect(cpu.state.trap.countdown).toBe(0);
      seen.add(delay);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('D = 0 delivers right after the trapping instruction', () => {
    const cpu = cpuOf([encode('mulv', { rd: 3, rs1: 11, rs2: 11 }), ...nops(4)], { 11: INT_MIN }, { delay: 0, specialised, blocks });
    expect(cpu.run(10)).toEqual({ kind: 'traps', forced: 'delay' });
    expect(cpu.state.instret).toBe(1);
    expect(cpu.state.pc).toBe(RAM_BASE + 4);
  });

  it('a second trap while one is pending adds bits and keeps the first deadline', () => {
    const prog = [encode('addv', { rd: 5, rs1: 11, rs2: 11 }), encode('divv', { rd: 6, rs1: 11, rs2: 0 }), ...nops(40)];
    for (let seed = 1; seed < 50; seed++) {
      const cpu = cpuOf(prog, { 11: INT_MAX }, { seed, delay: 20, specialised, blocks });
      const first = cpuOf(prog.slice(0, 1).concat(nops(41)), { 11: INT_MAX }, { seed, delay: 20, specialised, blocks });
      cpu.run(100);
      first.run(100);
      expect(cpu.state.instret).toBe(first.state.instret);
      if (cpu.state.instret >= 2) {
        expect(cpu.state.trap.v1).toBe((1 << 5) | (1 << 6));
        expect(cpu.state.trap.v2).toBe(0b11);
      }
    }
  });

  it('the countdown survives across runs and budget stops', () => {
    const cpu = cpuOf(
      [encode('addv', { rd: 7, rs1: 11, rs2: 11 }), ...nops(40)],
      { 11: INT_MAX },
      { seed: 9, delay: 16, specialised, blocks },
    );
    const ref = cpuOf(
      [encode('addv', { rd: 7, rs1: 11, rs2: 11 }), ...nops(40)],
      { 11: INT_MAX },
      { seed: 9, delay: 16, specialised, blocks },
    );
    ref.run(100);
    const at = ref.state.instret;
    let stop;
    do stop = cpu.run(1);
    while (stop.kind === 'budget');
    expect(stop).toEqual({ kind: 'traps', forced: 'delay' });
    expect(cpu.state.instret).toBe(at);
    // A run with a pending countdown of 0 stops at once.
    expect(cpu.run(10)).toEqual({ kind: 'traps', forced: 'delay' });
    expect(cpu.state.instret).toBe(at);
    expect(cpu.takeHardwareTraps()).toEqual({ v1: 1 << 7, v2: 1 });
    expect(cpu.state.trap.countdown).toBe(-1);
    expect(cpu.run(5)).toEqual({ kind: 'budget' });
  });

  it('takeHardwareTraps flushes, clears and cancels the countdown', () => {
    const cpu = cpuOf(
      [encode('addv', { rd: 7, rs1: 11, rs2: 11 }), ...nops(40)],
      { 11: INT_MAX },
      { delay: 30, seed: 4, specialised, blocks },
    );
    cpu.run(1);
    expect(cpu.takeHardwareTraps()).toEqual({ v1: 1 << 7, v2: 1 });
    expect(cpu.takeHardwareTraps()).toEqual({ v1: 0, v2: 0 });
    expect(cpu.run(40)).toEqual({ kind: 'budget' });
  });

  it('drain with Drain_Priv 0 executes, counts one and stops; with Drain_Priv 1 it is sensitive', () => {
    const prog = [encode('addv', { rd: 7, rs1: 11, rs2: 11 }), encode('drain'), ...nops(4)];
    const cpu = cpuOf(prog, { 11: INT_MAX }, { delay: 1000, specialised, blocks });
    expect(cpu.run(10)).toEqual({ kind: 'traps', forced: 'drain' });
    expect(cpu.state.instret).toBe(2);
    expect(cpu.state.pc).toBe(RAM_BASE + 8);
    expect(cpu.takeHardwareTraps()).toEqual({ v1: 1 << 7, v2: 1 });
    // Nothing pending: drain still stops (the caller delivers nothing).
    const empty = cpuOf([encode('drain')], {}, { specialised, blocks });
    expect(empty.run(10)).toEqual({ kind: 'traps', forced: 'drain' });
    const priv = cpuOf(prog, { 11: INT_MAX }, { delay: 1000, specialised, blocks });
    priv.state.drainPriv = 1;
    expect(priv.run(10)).toEqual({ kind: 'sensitive', word: encode('drain') });
    expect(priv.state.instret).toBe(1);
    expect(priv.state.pc).toBe(RAM_BASE + 4);
  });

  it("the delay stream is the trap unit's own: same seed, same delays; it is part of the state", () => {
    const prog = [encode('addv', { rd: 7, rs1: 11, rs2: 11 }), ...nops(20), encode('jal', { rd: 0, imm: -84 })];
    const delays = (seed: number): number[] => {
      const cpu = cpuOf(prog, { 11: INT_MAX }, { seed, specialised, blocks });
      const out: number[] = [];
      let last = 0;
      for (let i = 0; i < 30; i++) {
        const stop = cpu.run(1000);
        if (stop.kind === 'traps') {
          out.push(cpu.state.instret - last);
          cpu.takeHardwareTraps();
        }
        last = cpu.state.instret;
      }
      return out;
    };
    expect(delays(5)).toEqual(delays(5));
    expect(delays(5)).not.toEqual(delays(6));
  });
});

describe('deferred trap delivery to the guest', () => {
  const program = `
    la t0, handler
    csrw mtvec, t0
    csrsi mstatus, 8
    li a1, 0x7fffffff
    addv a2, a1, a1
  after:
    drain
    halt zero
  handler:
    csrr s0, mcause
    csrr s1, mepc
    csrr s2, xtv1
    csrr s3, xtv2
    halt s0
  `;

  it('canTakeDeferred: in U, or in M with MIE', () => {
    const cpu = cpuWith('halt zero');
    expect(cpu.canTakeDeferred()).toBe(false);
    cpu.state.csr.mstatus = 8;
    expect(cpu.canTakeDeferred()).toBe(true);
    cpu.state.csr.mstatus = 0;
    cpu.state.mode = 0;
    expect(cpu.canTakeDeferred()).toBe(true);
  });

  it('end to end: the handler sees mcause 24, mepc = the next instruction, xtv1/xtv2 OR-ed', () => {
    const cpu = cpuWith(program, { trapDelayMax: 0 });
    cpu.state.csr.xtv1 = 1 << 3;
    const r = drive(cpu);
    expect(r.code).toBe(24);
    const s = cpu.state;
    expect(s.regs[9]! >>> 0).toBe(image(program).symbols.find((x) => x.name === 'after')!.addr);
    expect(s.regs[18]).toBe((1 << 3) | (1 << 12));
    expect(s.regs[19]).toBe(1);
  });

  it('deliverDeferred enters the handler like an exception and ORs the vectors', () => {
    const cpu = cpuWith('nop\nnop\nnop');
    const s = cpu.state;
    s.csr.mtvec = RAM_BASE + 0x100;
    s.csr.mstatus = 8;
    s.csr.xtv1 = 0b1000;
    s.pc = RAM_BASE + 8;
    expect(cpu.deliverDeferred(1 << 12, 0b10)).toBeUndefined();
    expect(s.csr.mcause).toBe(24);
    expect(s.csr.mepc).toBe(RAM_BASE + 8);
    expect(s.csr.mtval).toBe(0);
    expect(s.csr.xtv1).toBe(0b1000 | (1 << 12));
    expect(s.csr.xtv2).toBe(0b10);
    expect(s.pc).toBe(RAM_BASE + 0x100);
    expect(s.csr.mstatus).toBe(0x80 | (3 << 11)); // MPIE = old MIE, MIE = 0, MPP = M
    expect(s.mode).toBe(3);
  });

  it('with mtvec = 0 delivery is a guest fault and changes nothing', () => {
    const cpu = cpuWith('nop\nnop');
    cpu.state.pc = RAM_BASE + 4;
    expect(cpu.deliverDeferred(1, 1)).toEqual({ pc: RAM_BASE + 4, cause: 24, tval: 0, word: encode('addi', { rd: 0, rs1: 0, imm: 0 }) });
    expect(cpu.state.csr.xtv1).toBe(0);
    expect(cpu.state.pc).toBe(RAM_BASE + 4);
  });
});
