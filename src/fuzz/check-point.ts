/**
 * One failure point at a time, for property tests: `failoverChecker(image, options)` runs the failure-free
 * reference once (with snapshots, as a sweep does), and its `check(point)` runs the primary's failure at that point the
 * way an exhaustive sweep does (in-flight operations dropped, and again performed when there were any),
 * judged by the fuzzer's own oracles (run-case.ts, oracles.ts). Each verdict carries the replay line that
 * `shadowvm fuzz` runs again.
 */
import { ShadowError } from '../base/errors.js';
import { formatFailurePoint, type FailurePoint } from '../ft/failure-point.js';
import type { PairStop } from '../ft/pair.js';
import type { ProgramImage } from '../../isa/image.js';
import { replayLine, type FuzzCase, type OutstandingPolicy } from './case.js';
import type { Violation } from './oracles.js';
import {
  DEFAULT_CASE_CONFIG,
  referenceEnvironment,
  runReference,
  type CaseConfig,
  type EnvironmentOptions,
  type Reference,
} from './reference.js';
import { runCase } from './run-case.js';

/** A point check's options; the budget, inputs and flaws are its cases' environment (EnvironmentOptions). */
export interface PointCheckOptions extends EnvironmentOptions {
  /** The pair's seed (default 1). */
  readonly seed?: number;
  /** The configuration checked (defaults: src/base/defaults.ts, no drain-ends-epoch), as for `fuzzFailover`. */
  readonly config?: Partial<CaseConfig>;
  /** Also run each case from reset and compare the two runs bit for bit (the `determinism` oracle). Default false. */
  readonly determinism?: boolean;
  /** The program's path, for replay lines. */
  readonly programName?: string;
}

/** One case of a point: its Rule 3 choice, what went wrong, and how to replay it. */
export interface CaseVerdict {
  readonly outstanding: OutstandingPolicy;
  readonly violations: readonly Violation[];
  readonly replay: string;
  readonly stop: PairStop;
  readonly exitCode: number;
  readonly failedOver: boolean;
}

export interface PointVerdict {
  /** The point, as `--fail-at` writes it. */
  readonly point: string;
  /** True when every case of the point held every oracle. */
  readonly ok: boolean;
  readonly cases: readonly CaseVerdict[];
  /** Every violation of every case, with the case's replay line. */
  readonly violations: readonly (Violation & { readonly replay: string })[];
}

export interface FailoverChecker {
  /** K + 1: the primary's externally visible actions in the failure-free run, plus one. */
  readonly distinctPoints: number;
  /** The failure-free run's ending (a run that does not halt fails every point). */
  readonly reference: { readonly stop: PairStop; readonly exitCode: number; readonly instructions: number };
  check(point: FailurePoint): PointVerdict;
}

/** The configuration a sweep uses when the options do not say: the same as `fuzzFailover`'s. */
function configOf(options: PointCheckOptions): CaseConfig {
  return { ...DEFAULT_CASE_CONFIG, ...(options.seed !== undefined ? { seed: options.seed } : {}), ...options.config };
}

export function failoverChecker(image: ProgramImage, options: PointCheckOptions = {}): FailoverChecker {
  const config = configOf(options);
  const programName = options.programName ?? 'PROGRAM';
  // As fuzzFailover and its engine do: the correct monitors' failure-free run sets the budget; the cases
  // start from snapshots of the run under the options' monitors, and are judged against its outcome.
  const { reference: plain, env } = referenceEnvironment(image, config, options);
  const ref: Reference = runReference(image, config, env, 24, plain.events);
  const distinctPoints = plain.events + 1;

  const runOne = (c: FuzzCase): { verdict: CaseVerdict; inFlight: number } => {
    const outcome = runCase(image, ref, c, env);
    const violations = [...outcome.violations];
    if (options.determinism) {
      const again = runCase(image, ref, c, env, true);
      if (again.fingerprint !== outcome.fingerprint) {
        violations.push({ oracle: 'determinism', detail: 'the same case run from reset and from a snapshot gave different runs' });
      }
    }
    const r = outcome.result;
    return {
      verdict: {
        outstanding: c.outstanding,
        violations,
        replay: replayLine(programName, c, env),
        stop: r.stop,
        exitCode: r.exitCode,
        failedOver: r.failedOver,
      },
      inFlight: outcome.inFlightAtFailure,
    };
  };

  return {
    distinctPoints,
    reference: { stop: plain.outcome.stop, exitCode: plain.outcome.exitCode, instructions: plain.outcome.instructions },
    check(point: FailurePoint): PointVerdict {
      if (point.kind === 'event' && !(Number.isSafeInteger(point.n) && point.n >= 0 && point.n < distinctPoints)) {
        throw new ShadowError('USAGE', `failure point ${formatFailurePoint(point)} is outside event:0..event:${distinctPoints - 1}`);
      }
      const first = runOne({ ...config, fail: 'primary', point, outstanding: 'dropped' });
      const cases = [first.verdict];
      if (first.inFlight > 0) cases.push(runOne({ ...config, fail: 'primary', point, outstanding: 'performed' }).verdict);
      const violations = cases.flatMap((c) => c.violations.map((v) => ({ ...v, replay: c.replay })));
      return { point: formatFailurePoint(point), ok: violations.length === 0, cases, violations };
    },
  };
}

/** Checks one failure point of `image` (runs the reference each time: for many points, use `failoverChecker`). */
export function checkFailurePoint(image: ProgramImage, point: FailurePoint, options: PointCheckOptions = {}): PointVerdict {
  return failoverChecker(image, options).check(point);
}
