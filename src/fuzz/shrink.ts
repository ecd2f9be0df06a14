/**
 * Schedule shrinking: from a failing case of a random campaign, a greedy search for a smaller case that
 * still fails the same way (an oracle the original failed), as fast-check shrinks a counterexample: try the
 * simpler cases of shrink-candidates.ts in their fixed order, move to the first that fails, and start again
 * from there, until none fails (a local minimum) or the run budget is spent. No randomness: the same
 * failing case always shrinks to the same case, so the shrunk replay line is deterministic from the seed.
 */
import type { ProgramImage } from '../../isa/image.js';
import { DEFAULTS } from '../base/defaults.js';
import { formatFaultPoint } from '../ft/failure-point.js';
import { replayLine, type CaseEnvironment, type FuzzCase } from './case.js';
import { runReference, type CaseConfig, type Reference } from './reference.js';
import { runCase, type CaseOutcome } from './run-case.js';
import type { OracleName, Violation } from './oracles.js';
import { candidates, sizeOf, smaller } from './shrink-candidates.js';

/** The earliest failing case of a campaign, shrunk: the smallest case found that fails an oracle the original failed. */
export interface ShrunkFailure {
  /** The original case's replay line. */
  readonly from: string;
  readonly replay: string;
  readonly point: string;
  readonly side: 'primary' | 'backup' | 'none';
  readonly cuts?: readonly number[];
  readonly oracle: OracleName;
  readonly detail: string;
  /** Simplifications taken, cases run, and how long it took. */
  readonly steps: number;
  readonly runs: number;
  readonly seconds: number;
  /** The budget (DEFAULTS.fuzzShrinkRuns runs, or the campaign's --time-limit) ran out before a local minimum. */
  readonly exhausted: boolean;
}

export interface ShrinkOptions {
  /** The configuration to shrink toward (the sweep's: the defaults unless the command line says otherwise). */
  readonly base: CaseConfig;
  /** Cases run at most, the original's re-run included. */
  readonly maxRuns: number;
  /** Epoch milliseconds after which no new case starts. */
  readonly deadline?: number;
}

export interface ShrinkResult {
  readonly original: FuzzCase;
  readonly case: FuzzCase;
  /** The shrunk case's violations (at least one of an oracle the original failed). */
  readonly violations: Violation[];
  readonly replay: string;
  /** Simplifications taken. */
  readonly steps: number;
  /** Cases run. */
  readonly runs: number;
  readonly seconds: number;
  /** True when the budget ran out before a local minimum was reached. */
  readonly exhausted: boolean;
}

/** Violations that say something about the guest or the monitors (not a verdict of the engine). */
const judged = (v: Violation): boolean => v.oracle !== 'resource' && v.oracle !== 'determinism';

/** Shrinks `failing`; undefined when it does not fail (again) in this thread. */
export function shrinkCase(
  image: ProgramImage,
  failing: FuzzCase,
  env: CaseEnvironment,
  programName: string,
  opts: ShrinkOptions,
): ShrinkResult | undefined {
  const started = performance.now();
  const refs = new Map<string, Reference>();
  const refOf = (c: CaseConfig): Reference => {
    const key = JSON.stringify([c.seed, c.epochLength, c.trapDelayMax, c.channelCapacity, c.backupPace, c.drainEndsEpoch]);
    let ref = refs.get(key);
    if (!ref) {
      ref = runReference(image, c, env, 16);
      refs.set(key, ref);
      // Each configuration tried keeps its snapshots only while it is among the last few: memory stays bounded.
      if (refs.size > 4) refs.delete(refs.keys().next().value!);
    }
    return ref;
  };
  let runs = 0;
  const run = (c: FuzzCase): CaseOutcome => {
    runs++;
    return runCase(image, refOf(c), c, env);
  };
  const first = run(failing);
  const oracles = new Set<OracleName>(first.violations.filter(judged).map((v) => v.oracle));
  if (oracles.size === 0) return undefined;
  const fails = (o: CaseOutcome): boolean => o.violations.some((v) => oracles.has(v.oracle));
  const baseTimeline = refOf(opts.base).timeline;

  let current = first;
  let steps = 0;
  let exhausted = false;
  search: for (;;) {
    const size = sizeOf(current.case, opts.base);
    const facts = { inFlight: current.windows?.inFlight ?? [], failedAfterEvents: current.failedAfterEvents };
    for (const c of candidates(current.case, facts, opts.base, baseTimeline)) {
      if (!smaller(sizeOf(c, opts.base), size)) continue;
      if (runs >= opts.maxRuns || (opts.deadline !== undefined && Date.now() > opts.deadline)) {
        exhausted = true;
        break search;
      }
      const o = run(c);
      if (fails(o)) {
        current = o;
        steps++;
        continue search;
      }
    }
    break;
  }
  return {
    original: failing,
    case: current.case,
    violations: current.violations.filter(judged),
    replay: replayLine(programName, current.case, env),
    steps,
    runs,
    seconds: (performance.now() - started) / 1000,
    exhausted,
  };
}

/** Shrinks a campaign's earliest failing case in this thread (shrinkCase), as the report gives it. */
export function shrunkFailure(
  image: ProgramImage,
  failing: FuzzCase,
  env: CaseEnvironment,
  programName: string,
  base: CaseConfig,
  maxRuns: number | undefined,
  deadline: number | undefined,
): ShrunkFailure | undefined {
  const r = shrinkCase(image, failing, env, programName, { base, maxRuns: maxRuns ?? DEFAULTS.fuzzShrinkRuns, deadline });
  if (!r) return undefined;
  const v = r.violations[0]!;
  return {
    from: replayLine(programName, failing, env),
    replay: r.replay,
    point: formatFaultPoint({ partition: r.case.partition === true, point: r.case.point }),
    side: r.case.fail,
    ...(r.case.cuts?.length ? { cuts: r.case.cuts } : {}),
    oracle: v.oracle,
    detail: v.detail,
    steps: r.steps,
    runs: r.runs,
    seconds: r.seconds,
    exhausted: r.exhausted,
  };
}
