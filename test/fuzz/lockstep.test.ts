/**
 * The central property of the protocol: for any generated program and any pair configuration, the two
 * replicas stay in lockstep (no divergence, digests checked at every epoch boundary, identical final
 * states) and the pair ends exactly as a bare run of the program does. And its converse: without the
 * protocol (the ablation), or with Drain_Priv = 0, the replicas do come apart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pair, type PairOptions, type PairResult } from '../../src/ft/pair.js';
import { World } from '../../src/hw/world.js';
import { generateProgram, type GenOptions } from '../../src/genprog/genprog.js';
import type { MonitorConfig } from '../../src/vmm/config.js';
import type { MonitorPolicies } from '../../src/vmm/monitor.js';
import { flawsOf } from '../../src/fuzz/case.js';
import { MAX_INSTRUCTIONS, RAM_MIB, bareRun, hex } from '../genprog/helpers.js';

interface Config {
  readonly program: number;
  readonly gen: Required<Pick<GenOptions, 'io' | 'timer' | 'drains' | 'length'>>;
  readonly seed: number;
  readonly monitor: Pick<MonitorConfig, 'epochLength' | 'drainEndsEpoch'>;
  readonly trapDelayMax: number;
  readonly channelCapacity: number;
  readonly backupPace: number;
}

/** Longer hunts: LOCKSTEP_RUNS=5000 LOCKSTEP_SEED=3 npx vitest run test/fuzz/lockstep.test.ts */
const RUNS = Number(process.env.LOCKSTEP_RUNS ?? 150);
const SEED = Number(process.env.LOCKSTEP_SEED ?? 20261122);

const configArb: fc.Arbitrary<Config> = fc.record({
  program: fc.integer({ min: 1, max: 0x7fffffff }),
  gen: fc.record({ io: fc.boolean(), timer: fc.boolean(), drains: fc.boolean(), length: fc.integer({ min: 0, max: 60 }) }),
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  monitor: fc.record({
    // Short epochs are where the interesting boundaries are; long ones cover whole programs in one epoch.
    epochLength: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5000 })),
    drainEndsEpoch: fc.boolean(),
  }),
  trapDelayMax: fc.integer({ min: 0, max: 64 }),
  channelCapacity: fc.integer({ min: 1, max: 200 }),
  backupPace: fc.double({ min: 0.1, max: 1, noNaN: true }),
});

function pairOf(
  c: Config,
  monitor: Partial<MonitorConfig> = {},
  flaws?: MonitorPolicies,
): { pair: Pair; world: World; options: PairOptions } {
  const p = generateProgram(c.program, c.gen);
  const world = new World();
  const options: PairOptions = {
    seed: c.seed,
    ramMiB: RAM_MIB,
    world,
    maxInstructions: MAX_INSTRUCTIONS,
    trapDelayMax: c.trapDelayMax,
    channelCapacity: c.channelCapacity,
    backupPace: c.backupPace,
    monitor: { ...c.monitor, drainPriv: 1, checkDigests: true, ...monitor },
    ...(flaws ? { policies: flaws } : {}),
  };
  return { pair: new Pair(p.image, options), world, options };
}

/** The state both replicas must agree on once they have halted. */
function finalState(pair: Pair, side: 'primary' | 'backup'): unknown {
  const s = pair[side].computer.cpu.state;
  return { pc: s.pc, mode: s.mode, instret: s.instret, regs: Array.from(s.regs), csr: s.csr, io: pair[side].computer.io.state };
}

/** The property, for `fc.assert` and for showing that it bites (`fc.check` with a flawed monitor). */
function lockstep(flaws?: MonitorPolicies): fc.IPropertyWithHooks<[Config]> {
  return fc.property(configArb, (c) => {
    const { pair, world } = pairOf(c, {}, flaws);
    const r = pair.run();
    const bare = bareRun(generateProgram(c.program, c.gen).image, c.seed, c.trapDelayMax);
    expect(r.divergence).toBeUndefined();
    expect(r.stop).toBe('halt');
    expect(r.diverged).toBe(false);
    expect(bare.result.stop).toBe('halt');
    expect(hex(r.exitCode)).toBe(hex(bare.result.exitCode));
    expect(r.console).toBe(bare.console);
    expect(world.record().errors).toBe(0);
    expect(finalState(pair, 'backup')).toEqual(finalState(pair, 'primary'));
    expect(Buffer.from(pair.backup.computer.cpu.state.ram).equals(Buffer.from(pair.primary.computer.cpu.state.ram))).toBe(true);
  });
}

describe('lockstep of the replicas of a pair', () => {
  it('any program, any configuration: halts, never diverges, same state on both sides, same outcome as a bare run', () => {
    fc.assert(lockstep(), { seed: SEED, numRuns: RUNS });
  });

  it('the property bites: a monitor that delivers interrupts mid-epoch fails it', () => {
    const out = fc.check(lockstep(flawsOf(['mid-epoch-delivery'])), { seed: SEED, numRuns: 40, endOnFailure: true });
    expect(out.failed).toBe(true);
  });

  it('is deterministic: the same seeds give the same PairResult', () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const once = (): PairResult => pairOf(c).pair.run();
        expect(JSON.stringify(once())).toBe(JSON.stringify(once()));
      }),
      { seed: 7, numRuns: 8 },
    );
  });
});

/** The first of `n` configurations (io and traps on) whose run diverges under `monitor`; undefined if none. */
function firstDivergence(
  n: number,
  monitor: Partial<MonitorConfig>,
  gen: Partial<Config['gen']> = {},
): { c: Config; r: PairResult } | undefined {
  for (let i = 1; i <= n; i++) {
    const c: Config = {
      program: i,
      gen: { io: true, timer: false, drains: true, length: 40, ...gen },
      seed: 1000 + i,
      monitor: { epochLength: 64, drainEndsEpoch: false },
      trapDelayMax: 16,
      channelCapacity: 64,
      backupPace: 1,
    };
    const r = pairOf(c, monitor).pair.run();
    if (r.diverged) return { c, r };
  }
  return undefined;
}

describe('what the protocol is for', () => {
  it('without the protocol (the ablation) the replicas diverge', () => {
    const found = firstDivergence(10, { protocol: false });
    expect(found, 'no divergence among the first 10 programs').toBeDefined();
    expect(found!.r.stop).toBe('diverged');
    expect(found!.r.divergence!.where).not.toBe('');
    // The same configuration with the protocol on stays in lockstep.
    const again = pairOf(found!.c).pair.run();
    expect(again.diverged).toBe(false);
    expect(again.stop).toBe('halt');
  });

  it('with Drain_Priv = 0, traps pending in the monitor at a drain make the replicas diverge', () => {
    const found = firstDivergence(20, { drainPriv: 0 }, { io: false });
    expect(found, 'no divergence among the first 20 programs').toBeDefined();
    const again = pairOf(found!.c, { drainPriv: 1 }).pair.run();
    expect(again.diverged).toBe(false);
    expect(again.stop).toBe('halt');
  });
});
