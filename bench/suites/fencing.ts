/**
 * Fencing's cost: the incarnation check that every device performs on every operation (spec 9,
 * src/hw/devices.ts), on a failure-free pair run of an I/O-bound guest (the disk journal, 4096-instruction
 * epochs) and of the ledger guest (200 appends and 200 reads).
 *
 * Baseline: the same run with the check taken out, measured in the same run: `Devices.perform` replaced by
 * its body without the comparison (a call to the private `act`, which both paths make). Figure: pair runs
 * per second with the check. Ratio: figure / baseline; the target is a cost under 2% (ratio above 0.98).
 */
import { Devices } from '../../src/hw/devices.js';
import { Pair } from '../../src/ft/pair.js';
import { loadProgram } from '../../src/asm/load.js';
import { bundledProgram } from '../../src/base/paths.js';
import type { IoOp } from '../../src/hw/types.js';
import type { BenchResult, BenchSuite } from '../types.js';
import { interleaved } from '../measure.js';

const PROGRAMS = ['programs/build/journal.elf', 'programs/build/ledger.elf'];
const RAM_MIB = 1;

type Performing = { perform(f: { op: IoOp }): unknown; act(op: IoOp): unknown };
const proto = Devices.prototype as unknown as Performing;
const checked = proto.perform;
function unchecked(this: Performing, f: { op: IoOp }): unknown {
  return this.act(f.op);
}

export const suite: BenchSuite = {
  name: 'fencing',
  async run({ quick }) {
    const results: BenchResult[] = [];
    for (const file of PROGRAMS) {
      const image = loadProgram(bundledProgram(file));
      const run = (): void => {
        const pair = new Pair(image, { seed: 1, ramMiB: RAM_MIB });
        pair.run();
        pair.dispose();
      };
      const name = file.replace('programs/build/', '');
      const [without, withCheck] = await interleaved(
        [
          [
            `pair ${name} without the check`,
            () => {
              proto.perform = unchecked;
              try {
                run();
              } finally {
                proto.perform = checked;
              }
            },
          ],
          [`pair ${name} with the incarnation check`, run],
        ],
        quick,
        5,
      );
      results.push({
        suite: 'fencing',
        name: `incarnation check: pair ${name}`,
        figure: withCheck!.hz,
        unit: 'runs/s',
        baseline: without!.hz,
        ratio: withCheck!.hz / without!.hz,
        samples: withCheck!.samples,
        rme: withCheck!.rme,
      });
    }
    return results;
  },
};
