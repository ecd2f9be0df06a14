/**
 * `import 'shadowvm/testing/vitest'` (in a test file, or in vitest's `setupFiles`) registers the matcher
 *
 *   await expect(image or path).toSurviveFailover(options)
 *
 * which sweeps every distinct failure point (see `fuzzFailover`) and fails with the earliest failing point
 * and a replay line per failing case. Its time limit follows the test's timeout: unless the options set
 * `timeLimitSec`, the sweep stops at 80% of the timeout and fails with a message saying so, rather than
 * vitest's bare "Test timed out". Progress is kept in the test's `task.meta.shadowvm` ({ done, total,
 * failures }, seen by reporters) and given to `options.onProgress`.
 */
import { expect } from 'vitest';
import { getCurrentTest } from 'vitest/suite';
import { surviveFailover, type MatcherOutcome, type SurviveFailoverOptions } from '../testing.js';

export type { SurviveFailoverOptions } from '../testing.js';

export interface FailoverProgressMeta {
  done: number;
  total: number;
  failures: number;
}

declare module 'vitest' {
  interface Assertion<T> {
    /** Sweeps every distinct failure point of the program; use with `await`. */
    toSurviveFailover(options?: SurviveFailoverOptions): Promise<T>;
  }
  interface AsymmetricMatchersContaining {
    toSurviveFailover(options?: SurviveFailoverOptions): unknown;
  }
  interface TaskMeta {
    shadowvm?: FailoverProgressMeta;
  }
}

/** The time limit for a test with this timeout (ms; 0 or less means none): 80% of it, in seconds. */
export function timeLimitFor(timeoutMs: number | undefined): number | undefined {
  return timeoutMs !== undefined && timeoutMs > 0 ? (timeoutMs * 0.8) / 1000 : undefined;
}

expect.extend({
  async toSurviveFailover(received: unknown, options: SurviveFailoverOptions = {}): Promise<MatcherOutcome> {
    const test = getCurrentTest();
    const meta: FailoverProgressMeta = { done: 0, total: 0, failures: 0 };
    if (test) test.meta.shadowvm = meta;
    const { pass, message } = await surviveFailover(received as string, {
      ...options,
      timeLimitSec: options.timeLimitSec ?? timeLimitFor(test?.timeout),
      onProgress: (done, total, failures) => {
        Object.assign(meta, { done, total, failures });
        options.onProgress?.(done, total, failures);
      },
    });
    return { pass, message };
  },
});
