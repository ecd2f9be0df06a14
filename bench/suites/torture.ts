/**
 * The adversarial campaign's throughput (`npm run torture`, issue 17): inputs per second of seed 1 run
 * in-process on one worker thread (with the watchdog), against the same inputs each run through
 * bin/shadowvm.js in a process of its own. A campaign is one long measurement, so each figure is one
 * sample (rme 0); --quick runs fewer inputs.
 *
 * Results:
 *  - `campaign inputs/s, 1 worker (vs a process per input)`: ratio = how much faster the in-process
 *    campaign gets through inputs than a process per input would.
 */
import { runCampaign } from '../../src/torture/campaign.js';
import { makeInput } from '../../src/torture/inputs.js';
import { executeInProcess } from '../../src/torture/process.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult, BenchSuite } from '../types.js';

export const suite: BenchSuite = {
  name: 'torture',
  async run({ quick }) {
    const count = quick ? 200 : 2000;
    const sampled = quick ? 10 : 40;
    const report = await runCampaign({ seed: 1, count, workers: 1, timeoutMs: 60_000, heapMb: 1024, processEvery: 0 });
    const scratch = mkdtempSync(join(tmpdir(), 'torture-bench-'));
    const started = performance.now();
    for (let i = 0; i < sampled; i++) executeInProcess(makeInput(1, i), join(scratch, String(i)), { timeoutMs: 60_000, heapMb: 1024 });
    const processRate = sampled / ((performance.now() - started) / 1000);
    rmSync(scratch, { recursive: true, force: true });
    const result: BenchResult = {
      suite: 'torture',
      name: `campaign inputs/s, 1 worker, ${count} inputs, ${report.failures.length} failing (vs a process per input)`,
      figure: report.perSecond,
      unit: 'inputs/s',
      baseline: processRate,
      ratio: report.perSecond / processRate,
      samples: 1,
      rme: 0,
    };
    return [result];
  },
};
