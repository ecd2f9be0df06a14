import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { Computer } from '../../src/hw/computer.js';
import { World } from '../../src/hw/world.js';
import { runEngine, type EmulatedOutcome, type EnginePolicy } from '../../src/hw/engine.js';

/** Ten plain instructions, a sensitive `csrr` of the clock, an exception (ecall from M, with a handler), then `halt`. */
const GUEST = `
  la t0, handler
  csrw mtvec, t0
  li a1, 1
  li a1, 2
  li a1, 3
  li a1, 4
  li a1, 5
  li a1, 6
  li a1, 7
  li a1, 8
  csrr a2, time
  ecall
  halt zero
handler:
  csrr t1, mepc
  addi t1, t1, 4
  csrw mepc, t1
  mret
`;

/** A policy that writes down every hook the loop calls, in order, and stops at `halt`. */
class Recorder implements EnginePolicy<string> {
  readonly log: string[] = [];
  constructor(
    private readonly computer: Computer,
    private readonly slice = Infinity,
    private readonly defer = 0,
  ) {}
  private deferred = 0;
  readonly env = {
    nondet: (csr: number) => (this.log.push(`nondet ${csr.toString(16)}`), 42),
    io: () => 0,
  };
  boundary(): undefined {
    this.log.push(`boundary @${this.computer.cpu.state.instret}`);
    return undefined;
  }
  outOfBudget(): string {
    return `budget @${this.computer.cpu.state.instret}`;
  }
  untilEvent(): number {
    return this.slice;
  }
  recoveryRegister(): string {
    return 'rr';
  }
  hardwareTraps(): undefined {
    this.log.push('traps');
    return undefined;
  }
  exit(): void {
    this.log.push('exit');
  }
  deferSensitive(): boolean {
    return this.deferred++ < this.defer;
  }
  sensitive(out: EmulatedOutcome): string | undefined {
    this.log.push(`sensitive ${out.kind}`);
    return out.kind === 'halt' ? `halt @${this.computer.cpu.state.instret}` : undefined;
  }
  fault(): string {
    return 'fault';
  }
  settled(): undefined {
    this.log.push('settled');
    return undefined;
  }
}

function machine(): Computer {
  const c = new Computer({ seed: 1, ramMiB: 1, world: new World() });
  c.load(assemble(GUEST).image);
  return c;
}

describe('the run loop', () => {
  it('hands every stop to the policy, in order: boundary, slice, stop, settled', () => {
    const c = machine();
    const p = new Recorder(c);
    // la is two instructions; csrw mtvec is sensitive.
    expect(runEngine(c.cpu, p, 1000)).toBe('halt @18');
    expect(p.log).toEqual([
      'boundary @0',
      'exit',
      'sensitive done',
      'settled',
      'boundary @3',
      'exit',
      'nondet c01',
      'sensitive done',
      'settled',
      'boundary @12',
      'exit',
      'settled', // ecall: an exception the guest's handler takes
      'boundary @13',
      'exit',
      'sensitive done',
      'settled', // csrr mepc
      'boundary @14',
      'exit',
      'sensitive done',
      'settled', // csrw mepc (after the addi)
      'boundary @16',
      'exit',
      'sensitive done',
      'settled', // mret
      'boundary @17',
      'exit',
      'sensitive halt',
    ]);
    expect(c.cpu.state.regs[12]).toBe(42);
  });

  it('cuts slices at the next hardware event, never below one instruction', () => {
    for (const [slice, boundaries] of [
      [4, 9],
      [1, 18],
      [0, 18],
    ] as const) {
      const c = machine();
      const p = new Recorder(c, slice);
      expect(runEngine(c.cpu, p, 1000)).toBe('halt @18');
      expect(p.log.filter((l) => l.startsWith('boundary')).length, `slice ${slice}`).toBe(boundaries);
    }
  });

  it('stops at the instruction limit, between two instructions', () => {
    for (const limit of [1, 5, 11]) {
      const c = machine();
      expect(runEngine(c.cpu, new Recorder(c), limit)).toBe(`budget @${limit}`);
      expect(c.cpu.state.instret).toBe(limit);
    }
  });

  it('a deferred sensitive instruction goes back to a boundary and runs there, not twice', () => {
    const c = machine();
    const p = new Recorder(c, Infinity, 2);
    expect(runEngine(c.cpu, p, 1000)).toBe('halt @18');
    expect(p.log.slice(0, 8)).toEqual(['boundary @0', 'exit', 'boundary @2', 'exit', 'boundary @2', 'exit', 'sensitive done', 'settled']);
  });

  it('counts exits (exceptions and sensitive instructions) against an exit budget and stops when it is used up', () => {
    // Exits: csrw mtvec (@3), csrr time (@12), ecall (@13), csrr mepc, csrw mepc, mret, halt.
    for (const [limit, stop] of [
      [1, 'budget @3'],
      [3, 'budget @13'],
      [7, 'halt @18'],
    ] as const) {
      const c = machine();
      const exits = { limit, used: 0 };
      expect(runEngine(c.cpu, new Recorder(c), 1000, exits), `limit ${limit}`).toBe(stop);
      expect(exits.used).toBe(limit);
    }
  });
});
