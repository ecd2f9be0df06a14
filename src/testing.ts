/**
 * Helpers for test suites (vitest and fast-check are the caller's dev dependencies).
 *
 * ```ts
 * import { it } from 'vitest';
 * import { loadProgram } from 'shadowvm';
 * import { expectFailoverSafe } from 'shadowvm/testing';
 *
 * it('the journal survives a primary failure at every distinct point', async () => {
 *   await expectFailoverSafe(loadProgram('programs/build/journal.elf'), { programName: 'programs/build/journal.elf' });
 * });
 * ```
 * On a violation it fails with every replay line, each of which reproduces its case exactly.
 */
import { fuzzFailover, type FuzzOptions, type FuzzReport } from './fuzz/fuzz.js';
import type { ProgramImage } from '../isa/image.js';

export { failurePointArb, distinctFailurePoints } from './fuzz/arbitrary.js';

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
