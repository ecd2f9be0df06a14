import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cpu } from '../../src/cpu/cpu.js';
import { executeSensitive } from '../../src/cpu/sensitive.js';
import type { CpuState } from '../../src/cpu/types.js';
import { SORT_SOURCE } from '../../bench/suites/interpreter.js';
import { cpuWith, LOOPS, quietEnv } from './helpers.js';

/** A guest that never halts: arithmetic, memory, sensitive CSR reads, ecalls into a handler, deferred traps. */
const BUSY = `
    la t0, handler
    csrw mtvec, t0
    li s0, 0x80008000
    li s1, 0x7fffffff
  loop:
    addi a0, a0, 1
    sw a0, 0(s0)
    lw a1, 0(s0)
    addv a2, s1, a0
    csrr a3, instret
    andi a4, a0, 7
    bnez a4, skip
    ecall
  skip:
    j loop
  handler:
    csrr t1, mepc
    addi t1, t1, 4
    csrw mepc, t1
    mret
`;

/** Drives a processor like a monitor: emulates sensitive instructions, reflects exceptions, flushes traps. */
function step(cpu: Cpu, budget: number): string {
  const stop = cpu.run(budget);
  if (stop.kind === 'traps' || stop.kind === 'exception' || stop.kind === 'sensitive' || stop.kind === 'rr') cpu.takeHardwareTraps();
  if (stop.kind === 'exception') expect(cpu.takeException(stop.cause, stop.tval)).toBeUndefined();
  if (stop.kind === 'sensitive') {
    const r = executeSensitive(cpu, stop.word, quietEnv);
    if (r.kind === 'exception') expect(cpu.takeException(r.cause, r.tval)).toBeUndefined();
  }
  return stop.kind;
}

/** Everything of a state that must match bit for bit. */
function image(s: CpuState): unknown {
  return { ...structuredClone(s), ram: Buffer.from(s.ram).toString('base64'), dirty: Array.from(s.dirty) };
}

describe.each(LOOPS)('recovery register on the $loop', ({ specialised, blocks }) => {
  it('expires after exactly N counted instructions, for any N, whatever else stops the processor', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 5000 }), (n, budget) => {
        const cpu = cpuWith(BUSY, { specialised, blocks });
        const expiries: number[] = [];
        cpu.state.rr = n;
        while (expiries.length < 4) {
          step(cpu, budget);
          if (cpu.state.rr === 0) {
            expiries.push(cpu.state.instret);
            cpu.state.rr = n;
          }
        }
        expect(expiries).toEqual([n, 2 * n, 3 * n, 4 * n]);
      }),
      { numRuns: 60 },
    );
  });

  it('stops with {kind: rr} exactly after the instruction that made it 0', () => {
    for (const n of [1, 2, 3, 7, 100, 4096]) {
      const cpu = cpuWith('loop:\naddi a0, a0, 1\nj loop', { specialised, blocks });
      cpu.state.rr = n;
      expect(cpu.run(1_000_000)).toEqual({ kind: 'rr' });
      expect(cpu.state.instret).toBe(n);
      expect(cpu.state.rr).toBe(0);
      expect(cpu.state.regs[10]).toBe(Math.ceil(n / 2));
      // disarmed: runs to the budget
      expect(cpu.run(10)).toEqual({ kind: 'budget' });
    }
  });

  it('a sensitive instruction is not counted by run, and counts when emulated', () => {
    const cpu = cpuWith('addi a0, a0, 1\ncsrr a1, mstatus\naddi a0, a0, 1', { specialised, blocks });
    cpu.state.rr = 2;
    expect(cpu.run(10).kind).toBe('sensitive');
    expect(cpu.state.rr).toBe(1);
    executeSensitive(cpu, cpu.readWord(cpu.state.pc)!, quietEnv);
    expect(cpu.state.rr).toBe(0);
  });

  it('an exception that makes it 0 reports the exception; rr = 0 says it expired too', () => {
    const cpu = cpuWith('addi a0, a0, 1\nlw a1, 0(zero)', { specialised, blocks });
    cpu.state.rr = 2;
    expect(cpu.run(10)).toEqual({ kind: 'exception', cause: 5, tval: 0 });
    expect(cpu.state.rr).toBe(0);
    expect(cpu.state.instret).toBe(2);
  });

  it('rr wins over a trap delay ending on the same instruction', () => {
    for (let seed = 1; seed < 40; seed++) {
      const probe = cpuWith('li a1, 0x7fffffff\naddv a2, a1, a1\nloop: nop\nj loop', { seed });
      expect(probe.run(100).kind).toBe('traps');
      const at = probe.state.instret;
      const cpu = cpuWith('li a1, 0x7fffffff\naddv a2, a1, a1\nloop: nop\nj loop', { seed, specialised, blocks });
      cpu.state.rr = at;
      expect(cpu.run(100)).toEqual({ kind: 'rr' });
      expect(cpu.state.trap.countdown).toBe(0);
      expect(cpu.run(100)).toEqual({ kind: 'traps', forced: 'delay' });
      expect(cpu.state.instret).toBe(at);
    }
  });
});

describe('determinism', () => {
  it('same seeds, same state bit for bit; a different trap seed changes when traps come', () => {
    const run = (seed: number, specialised: boolean, blocks = false): { state: unknown; stops: string[] } => {
      const cpu = cpuWith(BUSY, { seed, specialised, blocks });
      const stops: string[] = [];
      for (let i = 0; i < 500; i++) stops.push(`${step(cpu, 997)}@${cpu.state.instret}`);
      return { state: image(cpu.state), stops };
    };
    const a = run(11, false);
    expect(run(11, false)).toEqual(a);
    expect(run(11, true)).toEqual(a);
    expect(run(11, false, true)).toEqual(a);
    expect(run(12, false).stops).not.toEqual(a.stops);
  });

  it('a structuredClone of the state is a snapshot: a processor rebuilt from it continues identically', () => {
    const cpu = cpuWith(BUSY, { seed: 3 });
    for (let i = 0; i < 50; i++) step(cpu, 333);
    const twin = new Cpu(structuredClone(cpu.state));
    for (let i = 0; i < 200; i++) {
      expect(step(twin, 101)).toBe(step(cpu, 101));
    }
    expect(image(twin.state)).toEqual(image(cpu.state));
  });

  it('the shared and the specialised loop compute the same sort, and switch over mid-run', () => {
    const a = cpuWith(SORT_SOURCE, { ramBytes: 1 << 20 });
    const b = cpuWith(SORT_SOURCE, { ramBytes: 1 << 20 });
    b.specialiseAfter = 100_000;
    a.specialiseAfter = Infinity;
    let stop;
    do {
      stop = a.run(50_000);
      if (stop.kind === 'traps') a.takeHardwareTraps();
    } while (stop.kind !== 'sensitive');
    do {
      stop = b.run(50_000);
      if (stop.kind === 'traps') b.takeHardwareTraps();
    } while (stop.kind !== 'sensitive');
    expect(a.specialised).toBe(false);
    expect(b.specialised).toBe(true);
    expect(image(b.state)).toEqual(image(a.state));
  });

  it('the interpreter and the block translator compute the same sort, and switch over mid-run', () => {
    const a = cpuWith(SORT_SOURCE, { ramBytes: 1 << 20 });
    const b = cpuWith(SORT_SOURCE, { ramBytes: 1 << 20 });
    b.engine = 'blocks';
    b.translateAfter = 100_000;
    for (const cpu of [a, b]) {
      let stop;
      do {
        stop = cpu.run(50_000);
        if (stop.kind === 'traps') cpu.takeHardwareTraps();
      } while (stop.kind !== 'sensitive');
    }
    expect(a.translatedBlocks).toBe(0);
    expect(b.translatedBlocks).toBeGreaterThan(0);
    expect(image(b.state)).toEqual(image(a.state));
  });

  it('replacing the state drops the translated blocks', () => {
    const cpu = cpuWith('loop: addi a0, a0, 1\nj loop', { blocks: true });
    cpu.run(10);
    expect(cpu.translatedBlocks).toBe(1);
    cpu.state = structuredClone(cpu.state);
    cpu.run(10);
    expect(cpu.translatedBlocks).toBe(1);
    expect(cpu.state.regs[10]).toBe(10);
  });

  it('replacing the state drops the specialised copy', () => {
    const cpu = cpuWith('loop: addi a0, a0, 1\nj loop', { specialised: true });
    cpu.run(10);
    expect(cpu.specialised).toBe(true);
    cpu.state = structuredClone(cpu.state);
    expect(cpu.specialised).toBe(false);
    cpu.run(10);
    expect(cpu.specialised).toBe(true);
    expect(cpu.state.regs[10]).toBe(10);
  });
});
