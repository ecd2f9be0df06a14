/**
 * The failure-free reference run of a configuration, with snapshots of the pair taken along the way,
 * so that each failure point starts from a snapshot at or before it instead of re-running the prefix.
 */
import { Pair, type PairSnapshot } from '../ft/pair.js';
import { World } from '../hw/world.js';
import { DEFAULTS } from '../base/defaults.js';
import { exitBudgetFor } from '../base/exit-budget.js';
import { hash64 } from '../base/hash64.js';
import type { ProgramImage } from '../../isa/image.js';
import type { ReferenceOutcome } from './oracles.js';
import { caseBudget, caseExitBudget, pairOptionsOf, type CaseEnvironment, type FlawName, type FuzzCase } from './case.js';
import { observeTimeline, type Timeline } from './timeline.js';

export interface SnapshotMark {
  /** The primary's externally visible actions so far. */
  readonly events: number;
  readonly primaryInstret: number;
  readonly backupInstret: number;
  /** The epoch the primary is executing (every earlier one has ended). */
  readonly primaryEpoch: number;
  readonly snap: PairSnapshot;
}

export interface Reference {
  readonly outcome: ReferenceOutcome;
  /** K: the primary's externally visible actions in the whole run (so K + 1 distinct failure points). */
  readonly events: number;
  /** Instructions the primary retired (so instret + 1 instruction boundaries). */
  readonly instret: number;
  readonly backupInstret: number;
  /** Traps and sensitive instructions the primary took (its exit budget's count; 0 without a budget). */
  readonly exits: number;
  readonly snapshots: readonly SnapshotMark[];
  /** Where each operation was issued, completed and delivered, and where each epoch ended. */
  readonly timeline: Timeline;
}

export type CaseConfig = Omit<FuzzCase, 'fail' | 'point' | 'outstanding'>;

/** The configuration a sweep, a point check or a replay uses where the options do not say (src/base/defaults.ts). */
export const DEFAULT_CASE_CONFIG: CaseConfig = Object.freeze({
  seed: DEFAULTS.seed,
  epochLength: DEFAULTS.epochLength,
  trapDelayMax: DEFAULTS.trapDelayMax,
  channelCapacity: DEFAULTS.channelCapacity,
  backupPace: DEFAULTS.backupPace,
  drainEndsEpoch: false,
});

export function freshWorld(env: CaseEnvironment): World {
  return new World({ input: env.input, disk: env.disk });
}

/** FNV-1a over bytes, as hex: enough to tell two disks apart in a report (base/hash64.ts; World.diskDigest gives the same). */
export const hashBytes = hash64;

/**
 * Runs `config` without a failure. With `maxSnapshots` > 0 it keeps up to that many snapshots, spread
 * evenly over the run's events: `expectedEvents` (from an earlier run of the same configuration) sets the
 * spacing up front; without it the snapshots are thinned by halving as the run grows.
 */
export function runReference(
  image: ProgramImage,
  config: CaseConfig,
  env: CaseEnvironment,
  maxSnapshots: number,
  expectedEvents?: number,
): Reference {
  const c: FuzzCase = { ...config, fail: 'none', point: { kind: 'event', n: 0 }, outstanding: 'seeded' };
  const pair = new Pair(image, { ...pairOptionsOf(c, env), world: freshWorld(env) });
  const timeline = observeTimeline(pair);
  let marks: SnapshotMark[] = [];
  let gap = expectedEvents !== undefined && maxSnapshots > 0 ? Math.max(1, Math.ceil(expectedEvents / maxSnapshots)) : 1;
  const mark = (): void => {
    marks.push({
      events: pair.primary.state.events,
      primaryInstret: pair.primary.computer.cpu.state.instret,
      backupInstret: pair.backup.computer.cpu.state.instret,
      primaryEpoch: pair.primary.state.epoch,
      snap: pair.snapshot(),
    });
  };
  if (maxSnapshots > 0) mark();
  let stop = undefined;
  while (stop === undefined) {
    stop = pair.turn();
    if (stop !== undefined || maxSnapshots === 0 || pair.primary.done) continue;
    const last = marks[marks.length - 1]!;
    if (pair.primary.state.events - last.events >= gap) {
      mark();
      if (marks.length > maxSnapshots) {
        marks = marks.filter((_, i) => i % 2 === 0);
        gap *= 2;
      }
    }
  }
  const result = pair.run();
  // A flawed monitor's failure-free run is not what the world should see: the oracles judge against the
  // correct monitors' run of the same configuration (the snapshots stay the flawed pair's, which the cases run).
  const correct = env.flaws.length > 0 ? runReference(image, config, { ...env, flaws: [] }, 0).outcome : undefined;
  const reference: Reference = {
    outcome: correct ?? {
      stop: result.stop,
      exitCode: result.exitCode,
      console: pair.world.consoleView(),
      diskHash: pair.world.diskDigest(),
      disk: pair.world.diskView(),
      instructions: result.instructions,
      naturalDuplicates: pair.world.effects.filter((e) => e.duplicate).map((e) => `${e.kind}@${e.offset}+${e.len}`),
      ledger: pair.world.ledger.contents().map((e) => hash64(e)),
    },
    events: pair.primary.state.events,
    instret: pair.primary.computer.cpu.state.instret,
    backupInstret: pair.backup.computer.cpu.state.instret,
    exits: pair.primary.exitBudget?.used ?? 0,
    snapshots: marks,
    timeline,
  };
  pair.dispose();
  return reference;
}

/** The options a sweep (`fuzzFailover`) or a point check (`failoverChecker`) makes its cases' environment from. */
export interface EnvironmentOptions {
  /** Deliberately broken monitors, for proving the oracles bite. */
  readonly flaws?: readonly FlawName[];
  readonly ramMiB?: number;
  /** The instruction budget; default: DEFAULTS.maxInstructions for the failure-free run, and `caseBudget` for the cases. */
  readonly maxInstructions?: number;
  readonly input?: Uint8Array;
  readonly disk?: Uint8Array;
  /** The paths `input` and `disk` came from, for replay lines. */
  readonly inputName?: string;
  readonly diskName?: string;
}

/**
 * The failure-free run of `config` with correct monitors (no snapshots), which sets the cases' budget, and the
 * cases' environment: the options' flaws, and the instruction and exit budgets that run sets.
 */
export function referenceEnvironment(
  image: ProgramImage,
  config: CaseConfig,
  options: EnvironmentOptions,
): { reference: Reference; env: CaseEnvironment } {
  const maxInstructions = options.maxInstructions ?? DEFAULTS.maxInstructions;
  const plainEnv: CaseEnvironment = {
    ramMiB: options.ramMiB,
    maxInstructions,
    maxExits: exitBudgetFor(maxInstructions),
    flaws: [],
    input: options.input,
    disk: options.disk,
    ...(options.inputName !== undefined ? { inputName: options.inputName } : {}),
    ...(options.diskName !== undefined ? { diskName: options.diskName } : {}),
  };
  const reference = runReference(image, config, plainEnv, 0);
  const caseInstructions = caseBudget(options.maxInstructions, reference.outcome.instructions);
  const env: CaseEnvironment = {
    ...plainEnv,
    flaws: options.flaws ?? [],
    maxInstructions: caseInstructions,
    maxExits: caseExitBudget(caseInstructions, reference.exits),
  };
  return { reference, env };
}
