/**
 * The fuzzer's work, the same in the main thread and in a worker: given a program, an environment and a
 * list of work items (failure points of one configuration, or seeds of random cases), run each case,
 * judge it, and report one compact result per case.
 */
import type { ProgramImage } from '../../isa/image.js';
import { Random } from '../base/random.js';
import { deriveSeed } from '../base/seeds.js';
import type { FailurePoint } from '../ft/failure-point.js';
import { drawConfig, replayLine, type CaseEnvironment, type FuzzCase } from './case.js';
import { runReference, type CaseConfig, type Reference } from './reference.js';
import { runCase, type CaseOutcome } from './run-case.js';
import type { Violation } from './oracles.js';
import type { ScheduleCase } from './schedules.js';
import type { CaseWindows } from './coverage.js';
import { campaignPartition } from './campaign-partitions.js';

/** What to run: points of one configuration (`sweep`) or independent random cases (`campaign`). */
export type WorkPlan =
  | {
      readonly kind: 'sweep';
      readonly config: CaseConfig;
      readonly points: 'events' | 'instructions';
      /** Items from `basePoints` on are these schedule cases (items below are failure points of the seeded schedule). */
      readonly schedules?: readonly ScheduleCase[];
      readonly basePoints?: number;
      /** Partition items follow the schedule cases: two per class of points, the primary losing the arbiter, then the backup. */
      readonly partitionPoints?: number;
      /** The first point (event:N) of each partition class (partition-classes.ts); without it, class k is event:k. */
      readonly partitionAt?: readonly number[];
    }
  /** `partitions`: whether runs may draw a partition case (campaign-partitions.ts; default true). */
  | { readonly kind: 'campaign'; readonly seed: number; readonly partitions?: boolean }
  | { readonly kind: 'single'; readonly case: FuzzCase };

export interface CaseReport {
  readonly index: number;
  readonly case: FuzzCase;
  readonly violations: Violation[];
  readonly replay: string;
  readonly outcomeKey: string;
  readonly failedAfterEvents: number | undefined;
  /** Set when this case was also run from reset and the two runs differed. */
  readonly nondeterministic?: string;
  readonly checkedDeterminism: boolean;
  readonly windows?: CaseWindows;
  /** The failed computer's instruction count at its failure. */
  readonly failedAtInstruction?: number;
}

export interface EngineInput {
  readonly image: ProgramImage;
  readonly programName: string;
  readonly env: CaseEnvironment;
  readonly plan: WorkPlan;
  /** Work item numbers: failure point indices for a sweep, run numbers for a campaign. */
  readonly items: readonly number[];
  /** Items whose case is also run from reset to check determinism. */
  readonly determinismItems: readonly number[];
  /** Epoch milliseconds after which no new case starts. */
  readonly deadline?: number;
  readonly maxSnapshots?: number;
  /** The failure-free run's event count, when known, to space the snapshots. */
  readonly expectedEvents?: number;
  /** Stop after the first case that violates an oracle (items run in order, so it is the earliest of this worker's). */
  readonly stopAtFirstFailure?: boolean;
}

/** The cases of one work item: a sweep point is tried with in-flight operations dropped, and again performed when there were any. */
function* casesOf(
  input: EngineInput,
  item: number,
  refOf: (config: CaseConfig) => Reference,
): Generator<FuzzCase, void, CaseOutcome | undefined> {
  const plan = input.plan;
  if (plan.kind === 'single') {
    yield plan.case;
    return;
  }
  const partitionsFrom = plan.kind === 'sweep' ? (plan.basePoints ?? 0) + (plan.schedules?.length ?? 0) : Infinity;
  if (plan.kind === 'sweep' && plan.partitionPoints && item >= partitionsFrom) {
    const k = item - partitionsFrom;
    const point: FailurePoint = { kind: 'event', n: plan.partitionAt?.[k >> 1] ?? k >> 1 };
    const fail = (k & 1) === 0 ? 'primary' : 'backup';
    const first = yield { ...plan.config, fail, point, partition: true, outstanding: 'dropped' };
    if (first && first.inFlightAtFailure > 0) yield { ...plan.config, fail, point, partition: true, outstanding: 'performed' };
    return;
  }
  if (plan.kind === 'sweep' && plan.schedules && item >= (plan.basePoints ?? 0)) {
    const s = plan.schedules[item - (plan.basePoints ?? 0)]!;
    const first = yield { ...plan.config, cuts: s.cuts, fail: 'primary', point: s.point, outstanding: 'dropped' };
    if (first && first.inFlightAtFailure > 0)
      yield { ...plan.config, cuts: s.cuts, fail: 'primary', point: s.point, outstanding: 'performed' };
    return;
  }
  if (plan.kind === 'sweep') {
    const point: FailurePoint = plan.points === 'events' ? { kind: 'event', n: item } : { kind: 'instruction', n: item };
    const first = yield { ...plan.config, fail: 'primary', point, outstanding: 'dropped' };
    if (first && first.inFlightAtFailure > 0) yield { ...plan.config, fail: 'primary', point, outstanding: 'performed' };
    return;
  }
  const rng = new Random(deriveSeed(plan.seed, `run:${item}`));
  const config = drawConfig(rng);
  const r = refOf(config);
  const cut = plan.partitions === false ? undefined : campaignPartition(plan.seed, item);
  if (cut) {
    yield { ...config, fail: cut.loser, point: { kind: 'event', n: cut.rng.below(r.events + 1) }, partition: true, outstanding: 'seeded' };
    return;
  }
  const backup = rng.below(5) === 0;
  const point: FailurePoint = backup
    ? { kind: 'instruction', n: rng.below(r.backupInstret + 1) }
    : { kind: 'event', n: rng.below(r.events + 1) };
  yield { ...config, fail: backup ? 'backup' : 'primary', point, outstanding: 'seeded' };
}

/** `onStart` is told of each case before it runs (a worker tells its pool, which reports a case that exhausts the worker's memory). */
export function runEngine(
  input: EngineInput,
  onCase: (r: CaseReport) => void,
  onStart?: (item: number, c: FuzzCase) => void,
): { stoppedByDeadline: boolean } {
  const plan = input.plan;
  let sweepRef: Reference | undefined;
  const sweepReference = (): Reference => {
    if (plan.kind !== 'sweep') throw new Error('engine: no sweep reference for this plan');
    sweepRef ??= runReference(input.image, plan.config, input.env, input.maxSnapshots ?? 24, input.expectedEvents);
    return sweepRef;
  };
  const determinism = new Set(input.determinismItems);
  for (const item of input.items) {
    if (input.deadline !== undefined && Date.now() > input.deadline) return { stoppedByDeadline: true };
    // A sweep shares one reference; a campaign case (or a single case) needs the reference of its own configuration.
    let caseRef: Reference | undefined;
    const refOf = (config: CaseConfig): Reference => {
      if (plan.kind === 'sweep') return sweepReference();
      caseRef ??= runReference(input.image, config, input.env, 0);
      return caseRef;
    };
    const gen = casesOf(input, item, refOf);
    let next = gen.next();
    while (!next.done) {
      const c = next.value;
      const ref = refOf(c);
      onStart?.(item, c);
      const outcome = runCase(input.image, ref, c, input.env);
      let nondeterministic: string | undefined;
      const checkDet = determinism.has(item);
      if (checkDet) {
        const again = runCase(input.image, ref, c, input.env, true);
        if (again.fingerprint !== outcome.fingerprint) {
          nondeterministic = 'the same case run from reset and from a snapshot (or twice) gave different runs';
        }
      }
      const violations = nondeterministic
        ? [...outcome.violations, { oracle: 'determinism' as const, detail: nondeterministic }]
        : outcome.violations;
      onCase({
        index: item,
        case: c,
        violations,
        replay: replayLine(input.programName, c, input.env),
        outcomeKey: outcome.outcomeKey,
        failedAfterEvents: outcome.failedAfterEvents,
        nondeterministic,
        checkedDeterminism: checkDet,
        windows: outcome.windows,
        failedAtInstruction: outcome.result.failedSide ? outcome.failedAtInstruction : undefined,
      });
      if (violations.length > 0 && input.stopAtFirstFailure) return { stoppedByDeadline: false };
      next = gen.next(outcome);
    }
  }
  return { stoppedByDeadline: false };
}
