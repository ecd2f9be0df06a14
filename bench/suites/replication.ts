/**
 * Replication overhead: the pair's speed as a fraction of the ideal, for epoch lengths 256 to 64K, on a
 * CPU-bound program (sort) and an I/O-bound one (the disk journal).
 *
 * The primary and the backup each execute every instruction, so on one core the ideal pair runs guest
 * instructions at half the bare computer's rate. Baseline: the bare computer (`runBare`) on the same
 * program, measured in the same run. Figure: guest instructions per second of the pair. Ratio: figure /
 * (baseline / 2), i.e. 1.0 = ideal. Bressoud and Schneider's hypervisor showed the same shape: the
 * overhead falls as epochs grow, and CPU-bound work is more sensitive to epoch length.
 */
import { Computer } from '../../src/hw/computer.js';
import { runBare } from '../../src/hw/bare.js';
import { World } from '../../src/hw/world.js';
import { Pair } from '../../src/ft/pair.js';
import { loadProgram } from '../../src/asm/load.js';
import { bundledProgram } from '../../src/base/paths.js';
import type { ProgramImage } from '../../isa/image.js';
import type { BenchResult, BenchSuite } from '../types.js';
import { interleaved } from '../measure.js';

const EPOCHS = [256, 1024, 4096, 16384, 65536];
const PROGRAMS = [
  { label: 'cpu-bound sort', file: 'programs/build/sort.elf' },
  { label: 'io-bound journal', file: 'programs/build/journal.elf' },
];

/**
 * 1 MiB of RAM (the programs need less) and buffers handed back after each run: with the default 16 MiB,
 * allocating and clearing RAM for each short run, and the collections it triggers, made the figures swing
 * by a factor of two from run to run, measuring the allocator rather than the pair.
 */
const RAM_MIB = 1;

function bareInstructions(image: ProgramImage): number {
  const c = new Computer({ seed: 1, world: new World(), ramMiB: RAM_MIB });
  c.load(image);
  return runBare(c, { maxInstructions: 1e9 }).instructions;
}

export const suite: BenchSuite = {
  name: 'replication',
  async run({ quick }) {
    const results: BenchResult[] = [];
    for (const p of PROGRAMS) {
      const image = loadProgram(bundledProgram(p.file));
      const bareInsns = bareInstructions(image);
      const epochs = quick ? [256, 4096, 65536] : EPOCHS;
      const insns = epochs.map((epochLength) => new Pair(image, { seed: 1, ramMiB: RAM_MIB, monitor: { epochLength } }).run().instructions);
      // The bare baseline and every epoch length in paired rounds: each ratio is the median of its rounds'.
      const [bare, ...pairs] = await interleaved(
        [
          [
            `bare ${p.label}`,
            () => {
              const c = new Computer({ seed: 1, world: new World(), ramMiB: RAM_MIB });
              c.load(image);
              runBare(c, { maxInstructions: 1e9 });
              c.dispose();
            },
          ],
          ...epochs.map(
            (epochLength) =>
              [
                `pair ${p.label} ${epochLength}`,
                () => {
                  const pair = new Pair(image, { seed: 1, ramMiB: RAM_MIB, monitor: { epochLength } });
                  pair.run();
                  pair.dispose();
                },
              ] as const,
          ),
        ],
        quick,
      );
      const bareRate = bare!.hz * bareInsns;
      epochs.forEach((epochLength, i) => {
        const pair = pairs[i]!;
        const rate = pair.hz * insns[i]!;
        results.push({
          suite: 'replication',
          name: `${p.label}, epoch ${epochLength}`,
          figure: rate,
          unit: 'guest insn/s (pair)',
          baseline: bareRate,
          ratio: rate / (bareRate / 2),
          samples: pair.samples,
          rme: pair.rme,
        });
      });
    }
    return results;
  },
};
