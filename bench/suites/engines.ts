/**
 * Engines: the block translator against the specialised interpreter, on the CPU-bound gcc -O2 guests in
 * bare mode, and QEMU as the peer on the same C code.
 *
 * Results, each a ratio against a baseline measured in the same run:
 *  - `bare <p>.elf, block translator`: guest instructions/s of the program run to its halt in bare mode,
 *    again and again on one computer (its blocks warm); baseline: the same on the specialised interpreter;
 *  - `bare <p>.elf, fresh computer each run, block translator`: a new computer for every run (the
 *    process-wide translations are reused, the per-computer closures are not); baseline: the same on the
 *    interpreter;
 *  - `pair <p>.elf, epoch 4096, block translator`: the pair's rate against the ideal (half the bare
 *    computer's rate on the same engine);
 *  - `QEMU -icount <p>`: qemu-system-riscv32 on the same C code (bench/qemu/peer.ts), in CPU time;
 *    baseline: the block translator, also in CPU time (process.cpuUsage over warm runs). Skipped with a
 *    message when QEMU or the RISC-V gcc is not installed.
 */
import { loadProgram } from '../../src/asm/load.js';
import { bundledProgram, packageRoot } from '../../src/base/paths.js';
import { Computer } from '../../src/hw/computer.js';
import { runBare } from '../../src/hw/bare.js';
import { World } from '../../src/hw/world.js';
import { Pair } from '../../src/ft/pair.js';
import type { Engine } from '../../src/cpu/cpu.js';
import type { ProgramImage } from '../../isa/image.js';
import type { BenchResult, BenchSuite } from '../types.js';
import { interleaved, ratioOf, type Measured } from '../measure.js';
import { peerMissing, QemuPeer } from '../qemu/peer.js';

const PROGRAMS = ['sort', 'hash', 'interp'];

const RAM_MIB = 1;

function computer(engine: Engine): Computer {
  const c = new Computer({ seed: 1, ramMiB: RAM_MIB, world: new World() });
  c.cpu.engine = engine;
  c.cpu.specialiseAfter = 0;
  c.cpu.translateAfter = 0;
  return c;
}

/** One bare run to the halt on `c`; returns instructions. */
function bareRun(c: Computer, image: ProgramImage): number {
  c.load(image);
  c.devices.world = new World();
  const r = runBare(c, { maxInstructions: 1e9 });
  if (r.stop !== 'halt') throw new Error(`bench: program stopped with ${r.stop}`);
  return r.instructions;
}

function freshRun(engine: Engine, image: ProgramImage): void {
  const c = computer(engine);
  bareRun(c, image);
  c.dispose();
}

function pairRun(engine: Engine, image: ProgramImage): number {
  const p = new Pair(image, { seed: 1, ramMiB: RAM_MIB, monitor: { epochLength: 4096 } });
  for (const m of [p.primary, p.backup]) {
    m.computer.cpu.engine = engine;
    m.computer.cpu.translateAfter = 0;
  }
  const n = p.run().instructions;
  p.dispose();
  return n;
}

const rate = (b: Measured, per: number): number => b.hz * per;

function result(name: string, b: Measured, figure: number, baseline: number, ratio = figure / baseline): BenchResult {
  return { suite: 'engines', name, figure, unit: 'instructions/s', baseline, ratio, samples: b.samples, rme: b.rme };
}

export const suite: BenchSuite = {
  name: 'engines',
  async run({ quick }): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    const missing = peerMissing();
    if (missing) process.stderr.write(`engines bench: QEMU peer skipped: ${missing}\n`);
    const peer = missing ? undefined : new QemuPeer(packageRoot());
    try {
      for (const name of PROGRAMS) {
        const image = loadProgram(bundledProgram(`programs/build/${name}.elf`));
        const warm = { interp: computer('interp'), blocks: computer('blocks') };
        const per = bareRun(warm.interp, image);
        for (let i = 0; i < 10; i++) for (const c of Object.values(warm)) bareRun(c, image);
        // sort's pair is measured in the same rounds as the fresh bare computer it is compared with.
        const pairInsns = name === 'sort' ? pairRun('blocks', image) : 0;
        const [bi, bb, fi, fb, pb] = (await interleaved(
          [
            ['interp', () => void bareRun(warm.interp, image)],
            ['blocks', () => void bareRun(warm.blocks, image)],
            ['fresh interp', () => freshRun('interp', image)],
            ['fresh blocks', () => freshRun('blocks', image)],
            ...(name === 'sort' ? [['pair blocks', () => void pairRun('blocks', image)] as const] : []),
          ],
          quick,
        )) as [Measured, Measured, Measured, Measured, Measured | undefined];
        results.push(result(`bare ${name}.elf, block translator (baseline: specialised interpreter)`, bb, rate(bb, per), rate(bi, per)));
        results.push(
          result(
            `bare ${name}.elf, fresh computer each run, block translator (baseline: interpreter)`,
            fb,
            rate(fb, per),
            rate(fi, per),
            ratioOf(fb, fi),
          ),
        );
        if (pb) {
          const ideal = rate(fb, per) / 2;
          results.push(
            result(
              `pair ${name}.elf, epoch 4096, block translator (baseline: ideal, half of fresh bare)`,
              pb,
              rate(pb, pairInsns),
              ideal,
              (ratioOf(pb, fb) * pairInsns * 2) / per,
            ),
          );
        }
        // interp.c's main does less work when run again, so its differenced QEMU figure would not compare.
        if (peer && name !== 'interp') {
          const runs = quick ? 10 : 30;
          const t0 = process.cpuUsage();
          for (let i = 0; i < runs; i++) bareRun(warm.blocks, image);
          const t = process.cpuUsage(t0);
          const ours = (runs * per) / ((t.user + t.system) / 1e6);
          const q = peer.rate(name, per, quick ? 51 : 201, quick ? 2 : 3);
          results.push({
            suite: 'engines',
            name: `QEMU 7 -icount, ${name}.c, CPU time (baseline: block translator, CPU time)`,
            figure: q,
            unit: 'instructions/s',
            baseline: ours,
            ratio: q / ours,
            samples: quick ? 2 : 3,
            rme: 0,
          });
        }
        for (const c of Object.values(warm)) c.dispose();
      }
    } finally {
      peer?.dispose();
    }
    return results;
  },
};
