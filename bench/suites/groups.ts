/**
 * Replica groups (XSHADOW.md section 8).
 *  - Efficiency with K = 2 backups at epochs of 4096: guest instructions per second of the group, against the
 *    bare computer on the same program in the same run. Every replica executes every instruction, so on one core
 *    the ideal group runs at 1/(K+1) of bare; ratio = figure / (bare / (K + 1)), 1.0 = ideal (target >= 0.95).
 *    The pair is measured in the same rounds against its own ideal (bare / 2), and the group against the pair's
 *    rate x 2/(K+1) (1.0: a group costs exactly its replicas' share more than a pair). Each side's rate counts its
 *    own guest instructions (an I/O-bound guest polls for different lengths bare and replicated); each case runs
 *    once before the rounds (warm-up: the block translator's caches, the JIT) and hands its RAM back every run.
 *  - Rebackup of a 16 MiB guest (journal.elf, the primary failing a third of the way, a rebackup 2 epochs later):
 *    RAM bytes sent against the guest's non-zero RAM, the pause at the final boundary in epochs (target <= 1),
 *    and the epochs from the loss to protection. These are counts, the same on every run (samples 1).
 *  - The two-failure sweep of journal.elf (2 first points, K = 2, a rebackup between): the mean cost of a
 *    two-failure case against a one-failure case of the same sweep (target: within 2x).
 */
import { Computer } from '../../src/hw/computer.js';
import { runBare } from '../../src/hw/bare.js';
import { World } from '../../src/hw/world.js';
import { Group } from '../../src/ft/group.js';
import { Pair } from '../../src/ft/pair.js';
import { parseFailureSequence } from '../../src/ft/failure-sequence.js';
import { sweepFailureSequences } from '../../src/fuzz/sequences.js';
import { loadProgram } from '../../src/asm/load.js';
import { bundledProgram } from '../../src/base/paths.js';
import type { ProgramImage } from '../../isa/image.js';
import type { BenchResult, BenchSuite } from '../types.js';
import { interleaved, ratioOf } from '../measure.js';

const K = 2;
const RAM_MIB = 1; // as in the replication suite: the allocator must not be what is measured

function bare(image: ProgramImage): number {
  const c = new Computer({ seed: 1, world: new World(), ramMiB: RAM_MIB });
  c.load(image);
  const n = runBare(c, { maxInstructions: 1e9 }).instructions;
  c.dispose();
  return n;
}

function pair(image: ProgramImage): number {
  const p = new Pair(image, { seed: 1, ramMiB: RAM_MIB });
  const n = p.run().instructions;
  p.dispose();
  return n;
}

function group(image: ProgramImage): number {
  const g = new Group(image, { seed: 1, ramMiB: RAM_MIB, backups: K });
  const n = g.run().instructions;
  g.dispose();
  return n;
}

const count = (suite: string, name: string, figure: number, unit: string, baseline: number): BenchResult => ({
  suite,
  name,
  figure,
  unit,
  baseline,
  ratio: figure / baseline,
  samples: 1,
  rme: 0,
});

export const suite: BenchSuite = {
  name: 'groups',
  async run({ quick }) {
    const results: BenchResult[] = [];
    for (const [label, file] of [
      ['cpu-bound sort', 'programs/build/sort.elf'],
      ['io-bound journal', 'programs/build/journal.elf'],
    ] as const) {
      const image = loadProgram(bundledProgram(file));
      // Warm-up, and each side's own guest instructions (the runs are deterministic: every run counts the same).
      const [bareInsns, pairInsns, groupInsns] = [bare(image), pair(image), group(image)];
      const [b, p, g] = await interleaved(
        [
          [`bare ${label}`, () => void bare(image)],
          [`pair ${label}`, () => void pair(image)],
          [`group K=${K} ${label}`, () => void group(image)],
        ],
        quick,
      );
      const bareRate = b!.hz * bareInsns;
      const pairRate = p!.hz * pairInsns;
      const rate = g!.hz * groupInsns;
      results.push({
        suite: 'groups',
        name: `${label}, K = ${K}, epoch 4096 (ratio to bare/${K + 1})`,
        figure: rate,
        unit: 'guest insn/s (group)',
        baseline: bareRate,
        ratio: rate / (bareRate / (K + 1)),
        samples: g!.samples,
        rme: g!.rme,
      });
      // The pair in the same rounds, against its own ideal (bare/2): what this machine's load leaves of the ideal.
      results.push({
        suite: 'groups',
        name: `${label}, the pair in the same rounds (ratio to bare/2)`,
        figure: pairRate,
        unit: 'guest insn/s (pair)',
        baseline: bareRate,
        ratio: pairRate / (bareRate / 2),
        samples: p!.samples,
        rme: p!.rme,
      });
      // The group against the pair of the same rounds, scaled to its replicas: 1.0 when a third replica costs its share.
      results.push({
        suite: 'groups',
        name: `${label}, group K = ${K} against the pair x 2/${K + 1}`,
        figure: rate,
        unit: 'guest insn/s (group)',
        baseline: (pairRate * 2) / (K + 1),
        ratio: (ratioOf(g!, p!) * groupInsns * (K + 1)) / (pairInsns * 2),
        samples: g!.samples,
        rme: g!.rme,
      });
    }
    const journal = loadProgram(bundledProgram('programs/build/journal.elf'));
    const r = new Group(journal, {
      seed: 1,
      ramMiB: 16,
      backups: 1,
      rebackupAfter: 2,
      monitor: { checkDigests: true },
      failures: parseFailureSequence('event:180'),
    }).run();
    const t = r.rebackups[0]!;
    results.push(count('groups', 'rebackup 16 MiB: RAM sent (baseline: non-zero RAM)', t.ramBytes, 'bytes', t.nonZeroRamBytes));
    results.push(count('groups', 'rebackup 16 MiB: pause at the final boundary (baseline: 1 epoch)', t.pauseEpochs, 'epochs', 1));
    results.push(
      count(
        'groups',
        "rebackup 16 MiB: the pause on the guest's clock (baseline: 1 epoch of 4096 instructions)",
        t.pauseNs,
        'ns',
        4096 * 10,
      ),
    );
    results.push(
      count('groups', 'rebackup 16 MiB: epochs from the loss to protection (baseline: the wait)', t.epochsToProtection ?? NaN, 'epochs', 2),
    );
    const sweep = sweepFailureSequences(journal, { seed: 1, ramMiB: RAM_MIB, backups: K, rebackupAfter: 2, maxFirst: quick ? 1 : 2 });
    results.push(
      count(
        'groups',
        `two-failure sweep of journal, ${sweep.cases.length} cases (baseline: a one-failure case)`,
        sweep.msPerDouble / 1000,
        's/case',
        sweep.msPerSingle / 1000,
      ),
    );
    return results;
  },
};
