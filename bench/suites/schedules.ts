/**
 * The cost of schedule exploration: the default exhaustive sweep of the disk journal (the seeded
 * schedule's failure points plus the schedule cases that open every operation's in-flight window) against
 * the seeded schedule alone (`--seeded-only`, what the sweep was before), both with 2 workers
 * (`shadowvm fuzz programs/build/journal.elf --workers 2`; --quick: a twelfth of the cases).
 * Ratio = default / seeded-only (target at most 3).
 */
import { loadProgram } from '../../src/asm/load.js';
import { bundledProgram } from '../../src/base/paths.js';
import { fuzzFailover, type FuzzReport } from '../../src/fuzz/fuzz.js';
import type { BenchResult, BenchSuite } from '../types.js';
import { measureAsync } from '../measure.js';

export const suite: BenchSuite = {
  name: 'schedules',
  async run({ quick }) {
    const image = loadProgram(bundledProgram('programs/build/journal.elf'));
    const shard = quick ? { index: 1, count: 12 } : undefined;
    let report: FuzzReport | undefined;
    const sweep = (schedules: boolean) => async () => {
      report = await fuzzFailover(image, { workers: 2, shard, schedules, determinismSamples: 0 });
    };
    const seeded = await measureAsync('seeded schedule only', sweep(false), quick);
    const full = await measureAsync('default sweep', sweep(true), quick);
    const cases = report!.checked;
    return [
      {
        suite: 'schedules',
        name: `journal sweep with schedule cases (${cases} cases) vs seeded only`,
        figure: full.stats.mean,
        unit: 's/sweep',
        baseline: seeded.stats.mean,
        ratio: full.stats.mean / seeded.stats.mean,
        samples: full.stats.sample.length,
        rme: full.stats.rme,
      },
    ] satisfies BenchResult[];
  },
};
