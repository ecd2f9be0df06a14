/**
 * The trace export (`--trace FILE.json`) on the I/O-bound journal guest (760K instructions per replica, 1.5M for the
 * pair), at the default epoch (4096) and at epoch 256 (16 times the epochs and more messages):
 *  - the pair run with the trace recording, against the same run without it (baseline; ratio = the share of
 *    the speed kept, 1.0 = free);
 *  - writing the file (the recorder's finish, JSON and the write), in ms, against the target of 1 s;
 *  - the file's size, in MB, against the target of 10 MB.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pair } from '../../src/ft/pair.js';
import { loadProgram } from '../../src/asm/load.js';
import { bundledProgram } from '../../src/base/paths.js';
import { tracePair } from '../../src/debug/trace-pair.js';
import { writeTrace } from '../../src/debug/trace-write.js';
import type { BenchResult, BenchSuite } from '../types.js';
import { interleaved, measure } from '../measure.js';

const RAM_MIB = 1;

export const suite: BenchSuite = {
  name: 'trace',
  async run({ quick }) {
    const results: BenchResult[] = [];
    const image = loadProgram(bundledProgram('programs/build/journal.elf'));
    const dir = mkdtempSync(join(tmpdir(), 'shadowvm-bench-trace-'));
    try {
      for (const epochLength of [4096, 256]) {
        const opts = { seed: 1, ramMiB: RAM_MIB, monitor: { epochLength } };
        const label = `journal, epoch ${epochLength}`;
        const [plain, traced] = await interleaved(
          [
            [`pair ${label}`, () => new Pair(image, opts).run()],
            [
              `pair ${label} --trace`,
              () => {
                const pair = new Pair(image, opts);
                const t = tracePair(pair);
                pair.run();
                t.finish();
              },
            ],
          ],
          quick,
        );
        results.push({
          suite: 'trace',
          name: `${label}: pair run recording the trace (vs without)`,
          figure: traced!.hz,
          unit: 'runs/s',
          baseline: plain!.hz,
          ratio: traced!.hz / plain!.hz,
          samples: traced!.samples,
          rme: traced!.rme,
        });
        const pair = new Pair(image, opts);
        const t = tracePair(pair);
        pair.run();
        const rec = t.finish();
        const path = join(dir, 'trace.json');
        const write = await measure(`write ${label}`, () => writeTrace(rec, { path, command: 'pair', program: 'journal.elf' }), quick);
        const ms = 1000 / write.hz;
        results.push({
          suite: 'trace',
          name: `${label}: write ${rec.summary().events} events (vs 1 s target)`,
          figure: ms,
          unit: 'ms',
          baseline: 1000,
          ratio: ms / 1000,
          samples: write.stats.sample.length,
          rme: write.stats.rme,
        });
        const mb = statSync(path).size / 1e6;
        results.push({
          suite: 'trace',
          name: `${label}: file size (vs 10 MB target)`,
          figure: mb,
          unit: 'MB',
          baseline: 10,
          ratio: mb / 10,
          samples: 1,
          rme: 0,
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return results;
  },
};
