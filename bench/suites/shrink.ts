/**
 * The cost of schedule shrinking: shrinking a random campaign's failing case of the planted guest that
 * drops its outstanding WRITE (four configuration values away from the defaults; it shrinks to the default
 * configuration) against running that failing case once (its configuration's failure-free run and the case),
 * which is what a campaign spends on it. Ratio = shrinking / one case: the price of the shrunk replay line in cases.
 */
import { loadProgram } from '../../src/asm/load.js';
import { bundledProgram } from '../../src/base/paths.js';
import { shrinkCase } from '../../src/fuzz/shrink.js';
import { DEFAULT_CASE_CONFIG, runReference } from '../../src/fuzz/reference.js';
import { runCase } from '../../src/fuzz/run-case.js';
import type { FuzzCase } from '../../src/fuzz/case.js';
import { PROGRAMS } from '../../scripts/build-programs.js';
import type { BenchResult, BenchSuite } from '../types.js';
import { measureAsync } from '../measure.js';

/** The earliest failing case of `fuzz GUEST --runs 100 --seed 1` (test/fuzz/shrink.test.ts shrinks the same one). */
const failing: FuzzCase = {
  seed: 3338846575,
  epochLength: 4581,
  trapDelayMax: 25,
  channelCapacity: 1024,
  backupPace: 0.2,
  drainEndsEpoch: false,
  fail: 'primary',
  point: { kind: 'event', n: 24 },
  outstanding: 'seeded',
};

export const suite: BenchSuite = {
  name: 'shrink',
  async run({ quick }) {
    const name = PROGRAMS.find((p) => p.planted === 'no reissue of a WRITE')!.name;
    const image = loadProgram(bundledProgram(`programs/build/${name}.elf`));
    const env = { maxInstructions: 1_000_000, flaws: [] };
    let runs = 0;
    const once = await measureAsync(
      'the failing case once',
      async () => void runCase(image, runReference(image, failing, env, 0), failing, env),
      quick,
    );
    const shrink = await measureAsync(
      'shrinking it',
      async () => void (runs = shrinkCase(image, failing, env, name, { base: DEFAULT_CASE_CONFIG, maxRuns: 200 })!.runs),
      quick,
    );
    return [
      {
        suite: 'shrink',
        name: `shrinking a random failure of ${name}.elf (${runs} case runs) vs running it once`,
        figure: shrink.stats.mean,
        unit: 's',
        baseline: once.stats.mean,
        ratio: shrink.stats.mean / once.stats.mean,
        samples: shrink.stats.sample.length,
        rme: shrink.stats.rme,
      },
    ] satisfies BenchResult[];
  },
};
