/**
 * Helpers for test suites: `shadowvm/testing`. fast-check is a dependency of shadowvm; vitest is not
 * needed here (the vitest matcher is registered by `shadowvm/testing/vitest`).
 *
 * - `expectFailoverSafe(image, options)`: the whole sweep; throws FailoverSafetyError on a violation.
 * - `failoverMatchers.toSurviveFailover`: the same as a matcher, for `expect.extend` (vitest or jest).
 * - `failoverChecker(image, options).check(point)`: one failure point, judged by the fuzzer's oracles, for
 *   property tests with `failurePointArb`, which shrinks to the earliest failing point.
 * - Progress: `onProgress(done, total, failures)` in the options, called after each case.
 */
import { loadProgram } from './asm/load.js';
import { fuzzFailover, type FuzzOptions, type FuzzReport } from './fuzz/fuzz.js';
import type { ProgramImage } from '../isa/image.js';

export { failurePointArb, earliestPointArb, distinctFailurePoints } from './fuzz/arbitrary.js';
/** The fast-check that failurePointArb is built with, so that a suite need not match its version. */
export { default as fc } from 'fast-check';
export {
  failoverChecker,
  checkFailurePoint,
  type FailoverChecker,
  type PointCheckOptions,
  type PointVerdict,
  type CaseVerdict,
} from './fuzz/check-point.js';
export type { FuzzOptions, FuzzReport, FuzzFailure } from './fuzz/fuzz.js';

export class FailoverSafetyError extends Error {
  constructor(readonly report: FuzzReport) {
    const lines = report.failures.slice(0, 10).map((f) => `  ${f.side} at ${f.point}: ${f.oracle}: ${f.detail}\n    ${f.replay}`);
    super(
      `${report.failures.length} failover violation(s) in ${report.program} (${report.checked} cases checked)` +
        (report.earliest ? `; earliest at ${report.earliest.point}` : '') +
        `:\n${lines.join('\n')}`,
    );
    this.name = 'FailoverSafetyError';
  }
}

/** Runs the fuzzer (exhaustive by default) and throws FailoverSafetyError when any oracle fails. */
export async function expectFailoverSafe(image: ProgramImage, options: FuzzOptions = {}): Promise<FuzzReport> {
  const report = await fuzzFailover(image, options);
  if (report.failures.length > 0) throw new FailoverSafetyError(report);
  return report;
}

export interface SurviveFailoverOptions extends FuzzOptions {
  /** Pass even when `timeLimitSec` stopped the sweep before every point was checked (default: such a sweep fails). */
  readonly partial?: boolean;
}

/** What a matcher returns, in the shape vitest's and jest's `expect.extend` take. */
export interface MatcherOutcome {
  readonly pass: boolean;
  readonly message: () => string;
}

/**
 * The sweep behind `toSurviveFailover`: `received` is a program image or a path that `loadProgram` reads.
 * Passes when every case of the sweep held every oracle and the sweep was complete.
 */
export async function surviveFailover(
  received: ProgramImage | string,
  options: SurviveFailoverOptions = {},
): Promise<MatcherOutcome & { readonly report?: FuzzReport }> {
  let image: ProgramImage;
  if (typeof received === 'string') image = loadProgram(received);
  else if (received && typeof received === 'object' && Array.isArray((received as ProgramImage).segments)) image = received;
  else return { pass: false, message: () => 'toSurviveFailover: expected a program image (loadProgram) or the path of a program' };
  const programName = options.programName ?? (typeof received === 'string' ? received : undefined);
  const report = await fuzzFailover(image, { ...options, programName });
  const points = `${report.distinctPoints} distinct failure points, ${report.checked} cases`;
  if (report.failures.length > 0) {
    const error = new FailoverSafetyError(report);
    return { pass: false, report, message: () => `expected ${report.program} to survive a failure of the primary, but: ${error.message}` };
  }
  if (report.stoppedByTimeLimit && !options.partial) {
    return {
      pass: false,
      report,
      message: () =>
        `the sweep of ${report.program} stopped at its time limit (${options.timeLimitSec} s) after ${report.checked} cases, ` +
        `before every one of its ${report.distinctPoints} distinct failure points was checked: give the test a longer timeout ` +
        `(it(name, fn, 120_000)), or pass { partial: true } to accept a partial sweep`,
    };
  }
  return {
    pass: true,
    report,
    message: () => `expected ${report.program} not to survive a failure of the primary, but all ${points} held every oracle`,
  };
}

/** For `expect.extend(failoverMatchers)`; `shadowvm/testing/vitest` does this for vitest. Use with await. */
export const failoverMatchers = {
  async toSurviveFailover(received: unknown, options?: SurviveFailoverOptions): Promise<MatcherOutcome> {
    const { pass, message } = await surviveFailover(received as ProgramImage | string, options);
    return { pass, message };
  },
};
