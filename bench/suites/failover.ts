/**
 * Failover sweep speed: distinct failure points checked per second, with 1 and 2 worker threads, on the
 * disk journal's whole exhaustive sweep (`shadowvm fuzz programs/build/journal.elf`; --quick: a twelfth
 * of its points). Each worker has fixed costs (starting, compiling, its own reference run with
 * snapshots: about 0.6 s here), so a short sweep gains less from a second worker than a whole one.
 *
 * Results:
 *  - `mean cost of one point`: seconds per checked point with 1 worker, against the baseline of one
 *    failure-free pair run (checkDigests on, as the fuzzer runs it); ratio = cost of a point / cost of a run
 *    (target under 0.6: each point starts from a snapshot at or before it, not from reset).
 *  - `points/s, 2 workers`: against 1 worker measured in the same run; ratio = speedup (target >= 1.7).
 * Both include the fuzzer's fixed costs (the reference runs and snapshots each worker makes).
 */
import Benchmark from 'benchmark';
import { Pair } from '../../src/ft/pair.js';
import { loadProgram } from '../../src/asm/load.js';
import { bundledProgram } from '../../src/base/paths.js';
import { fuzzFailover, type FuzzReport } from '../../src/fuzz/fuzz.js';
import type { BenchResult, BenchSuite } from '../types.js';
import { measureAsync } from '../measure.js';

export const suite: BenchSuite = {
  name: 'failover',
  async run({ quick }) {
    const image = loadProgram(bundledProgram('programs/build/journal.elf'));
    const shard = quick ? { index: 1, count: 12 } : undefined;
    let report: FuzzReport | undefined;
    const sweep = (workers: number) => async () => {
      report = await fuzzFailover(image, { workers, shard, determinismSamples: 0 });
    };
    const runOnce = new Benchmark('pair run', () => new Pair(image, { seed: 1, monitor: { checkDigests: true } }).run(), {
      maxTime: quick ? 1 : 4,
      minSamples: 3,
    });
    runOnce.run();
    const one = await measureAsync('sweep, 1 worker', sweep(1), quick);
    const points = report!.checked;
    const two = await measureAsync('sweep, 2 workers', sweep(2), quick);
    const pointCost = one.stats.mean / points;
    const runCost = runOnce.stats.mean;
    return [
      {
        suite: 'failover',
        name: `mean cost of one point (journal, ${points} cases)`,
        figure: pointCost,
        unit: 's/point',
        baseline: runCost,
        ratio: pointCost / runCost,
        samples: one.stats.sample.length,
        rme: one.stats.rme,
      },
      {
        suite: 'failover',
        name: 'points/s, 2 workers vs 1',
        figure: points / two.stats.mean,
        unit: 'points/s',
        baseline: points / one.stats.mean,
        ratio: one.stats.mean / two.stats.mean,
        samples: two.stats.sample.length,
        rme: two.stats.rme,
      },
    ] satisfies BenchResult[];
  },
};
