/**
 * One fuzz case: everything that may vary in a run, drawn from one seed, and the command line that
 * replays it exactly. The pair's seed fixes both computers' device latencies, trap delays, clock jitter
 * and timer phase; the rest is explicit so that a replay line says what the case was.
 */
import type { PairOptions } from '../ft/pair.js';
import { formatFaultPoint, type FailurePoint } from '../ft/failure-point.js';
import type { MonitorPolicies } from '../vmm/monitor.js';
import { flawedPolicies } from './flaws.js';
import type { IoOp } from '../hw/types.js';
import { type Random } from '../base/random.js';
import { exitBudgetFor } from '../base/exit-budget.js';

/** Rule 3 for operations in flight at the failed computer: performed, dropped, or decided by the seeded fault model. */
export type OutstandingPolicy = 'performed' | 'dropped' | 'seeded';
export const OUTSTANDING_POLICIES: readonly OutstandingPolicy[] = ['performed', 'dropped', 'seeded'];

export interface FuzzCase {
  readonly seed: number;
  readonly epochLength: number;
  readonly trapDelayMax: number;
  readonly channelCapacity: number;
  /** Probability that the backup gets a turn after each primary epoch (how far it lags). */
  readonly backupPace: number;
  readonly drainEndsEpoch: boolean;
  /** Schedule exploration: instruction counts at which an extra epoch boundary is cut (see schedules.ts). */
  readonly cuts?: readonly number[];
  /** Which computer fails; `none` is the failure-free reference. With `partition`, the side that loses the arbiter. */
  readonly fail: 'primary' | 'backup' | 'none';
  readonly point: FailurePoint;
  /** A partition at `point` of the primary's run instead of a fail-stop (spec 9). */
  readonly partition?: boolean;
  readonly outstanding: OutstandingPolicy;
}

export const FLAW_NAMES = ['keep-completions', 'no-disconnect', 'mid-epoch-delivery', 'no-fencing'] as const;
export type FlawName = (typeof FLAW_NAMES)[number];

/** The monitor policies of a case with the named flaws. */
export function flawsOf(names: readonly FlawName[]): MonitorPolicies {
  return flawedPolicies({
    keepCompletions: names.includes('keep-completions'),
    noDisconnect: names.includes('no-disconnect'),
    midEpochDelivery: names.includes('mid-epoch-delivery'),
  });
}

/** The instruction budget of each case: `--max-instructions`, or four times the failure-free run's length and some. */
export function caseBudget(maxInstructions: number | undefined, referenceInstructions: number): number {
  return maxInstructions ?? Math.max(1_000_000, referenceInstructions * 4 + 200_000);
}

/** A case's exit budget: the command's for its instruction budget, and at least 4x the failure-free run's exits. */
export function caseExitBudget(caseInstructions: number, referenceExits: number): number {
  return Math.max(exitBudgetFor(caseInstructions), referenceExits * 4 + 200_000);
}

export interface CaseEnvironment {
  readonly ramMiB?: number;
  readonly maxInstructions: number;
  /** Traps and sensitive instructions each computer may take (hw/engine.ts ExitBudget); none when absent. */
  readonly maxExits?: number;
  readonly flaws: readonly FlawName[];
  readonly input?: Uint8Array;
  readonly disk?: Uint8Array;
  /** The paths the input stream and disk image came from, for replay lines. */
  readonly inputName?: string;
  readonly diskName?: string;
}

/** The pair options of a case (the world is made by the caller: each run needs a fresh one). */
export function pairOptionsOf(c: FuzzCase, env: CaseEnvironment): Omit<PairOptions, 'world'> {
  const decide: ((op: IoOp) => boolean) | undefined =
    c.outstanding === 'performed' ? () => true : c.outstanding === 'dropped' ? () => false : undefined;
  return {
    seed: c.seed,
    monitor: {
      epochLength: c.epochLength,
      drainPriv: 1,
      drainEndsEpoch: c.drainEndsEpoch,
      checkDigests: true,
      // The digests oracle judges only the epochs a backup checked: a survivor running alone skips them.
      skipDigestsAlone: true,
      protocol: true,
      ...(c.cuts?.length ? { epochCuts: c.cuts } : {}),
    },
    trapDelayMax: c.trapDelayMax,
    channelCapacity: c.channelCapacity,
    backupPace: c.backupPace,
    maxInstructions: env.maxInstructions,
    ...(env.maxExits !== undefined ? { maxExits: env.maxExits } : {}),
    ramMiB: env.ramMiB,
    failAt: c.fail === 'primary' && !c.partition ? c.point : undefined,
    failBackupAt: c.fail === 'backup' && !c.partition ? c.point : undefined,
    ...(c.partition && c.fail !== 'none' ? { partition: { at: c.point, loser: c.fail } } : {}),
    ...(env.flaws.includes('no-fencing') ? { fencing: false } : {}),
    performOutstanding: decide,
    policies: flawsOf(env.flaws),
  };
}

/** The one command line that reproduces a case exactly. */
export function replayLine(program: string, c: FuzzCase, env: CaseEnvironment): string {
  const parts = [
    'npx shadowvm fuzz',
    quote(program),
    `--seed ${c.seed}`,
    `--epoch ${c.epochLength}`,
    `--trap-delay ${c.trapDelayMax}`,
    `--channel-capacity ${c.channelCapacity}`,
    `--backup-pace ${c.backupPace}`,
  ];
  if (c.drainEndsEpoch) parts.push('--drain-ends-epoch');
  if (c.cuts?.length) parts.push(`--epoch-cut ${c.cuts.join(',')}`);
  if (env.ramMiB !== undefined) parts.push(`--ram ${env.ramMiB}`);
  if (env.inputName !== undefined) parts.push(`--input ${quote(env.inputName)}`);
  if (env.diskName !== undefined) parts.push(`--disk ${quote(env.diskName)}`);
  if (c.fail !== 'none') parts.push(`--fail-at ${formatFaultPoint({ partition: c.partition === true, point: c.point })}`);
  if (c.fail === 'backup') parts.push('--fail-side backup');
  if (c.outstanding !== 'seeded') parts.push(`--outstanding ${c.outstanding}`);
  for (const f of env.flaws) parts.push(`--flaw ${f}`);
  return parts.join(' ');
}

function quote(s: string): string {
  return /^[\w./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const EPOCHS = [64, 256, 1024, 4096, 16384, 65536];

/** The configuration part of a random case, drawn from `rng` (the failure point is drawn later, once the run's length is known). */
export function drawConfig(rng: Random): Omit<FuzzCase, 'fail' | 'point' | 'outstanding'> {
  return {
    seed: rng.nextU32(),
    epochLength: rng.below(3) === 0 ? 1 + rng.below(5000) : EPOCHS[rng.below(EPOCHS.length)]!,
    trapDelayMax: rng.below(65),
    channelCapacity: [1, 2, 8, 64, 1024][rng.below(5)]!,
    backupPace: [1, 1, 0.5, 0.2, 0.05][rng.below(5)]!,
    drainEndsEpoch: rng.below(2) === 1,
  };
}
