/**
 * Interpreter speed: guest instructions per second of `Cpu.run` on CPU-bound code, with the recovery
 * register armed as a monitor arms it (epochs of 4096 instructions, reloaded at each stop) and the trap
 * unit busy (a checksum with `addv`, whose overflows raise deferred traps).
 *
 * Results, each a ratio against a baseline measured in the same run:
 *  - `run(), sort+addv, rr epochs 4096`: the processor's specialised loop; baseline: rr disarmed
 *    (ratio: what the epoch stops cost);
 *  - `run(), shared loop`: the same on the loop every processor starts with; baseline: the specialised loop;
 *  - `bare mode, programs/build/<p>.elf`: the compiled C programs run to their halt in bare mode (devices,
 *    interrupts, trap handler, sensitive instructions included); baseline: the hand-written loop above;
 *  - `sort of 1024 words, emulated`: guest sorts per second; baseline: the same insertion sort in JavaScript.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cpu } from '../../src/cpu/cpu.js';
import { assemble } from '../../src/asm/assembler.js';
import { loadProgram } from '../../src/asm/load.js';
import { Computer } from '../../src/hw/computer.js';
import { runBare } from '../../src/hw/bare.js';
import { World } from '../../src/hw/world.js';
import type { ProgramImage } from '../../isa/image.js';
import type { BenchResult, BenchSuite } from '../types.js';
import { interleaved, measure, measured, ratioOf, type Measured } from '../measure.js';

const N = 1024;

/** The guest: fill a[0..N) with an LCG; insertion sort; checksum with addv; halt. */
export const SORT_SOURCE = `
start:
    li s0, 0x80010000
    li s1, ${N}
    li s2, 1103515245
    li t0, 12345
    mv t2, s0
    mv t1, s1
fill:
    mul t0, t0, s2
    addi t0, t0, 1234
    sw t0, 0(t2)
    addi t2, t2, 4
    addi t1, t1, -1
    bnez t1, fill
    li t1, 1
outer:
    slli t3, t1, 2
    add t3, t3, s0
    lw t4, 0(t3)
inner:
    beq t3, s0, place
    lw t5, -4(t3)
    bge t4, t5, place
    sw t5, 0(t3)
    addi t3, t3, -4
    j inner
place:
    sw t4, 0(t3)
    addi t1, t1, 1
    blt t1, s1, outer
    mv t2, s0
    mv t1, s1
sum:
    lw t5, 0(t2)
    addv a0, a0, t5
    addi t2, t2, 4
    addi t1, t1, -1
    bnez t1, sum
    halt a0
`;

/** The loop program: the sort forever (halt replaced by a jump back). */
const LOOP_SOURCE = SORT_SOURCE.replace('halt a0', 'j start');

function makeCpu(source: string, specialised: boolean): Cpu {
  const cpu = Cpu.create({ ramBytes: 1 << 20, trapDelayMax: 16, trapSeed: 7 });
  cpu.specialiseAfter = specialised ? 0 : Infinity;
  cpu.engine = 'interp';
  cpu.load(assemble(source).image);
  return cpu;
}

/** Runs `total` instructions in epochs of `epoch` (0 = rr disarmed), flushing traps like a monitor. */
export function runEpochs(cpu: Cpu, total: number, epoch: number): number {
  const s = cpu.state;
  const start = s.instret;
  const end = start + total;
  while (s.instret < end) {
    if (epoch > 0 && s.rr === 0) s.rr = epoch;
    const stop = cpu.run(end - s.instret);
    if (stop.kind === 'traps' || stop.kind === 'rr') cpu.takeHardwareTraps();
    else if (stop.kind !== 'budget') throw new Error(`bench: unexpected stop ${stop.kind} at pc 0x${s.pc.toString(16)}`);
  }
  return s.instret - start;
}

/** Instructions of one full sort program run (to halt), for turning sorts/s into instructions/s. */
function instructionsPerSort(): number {
  const cpu = makeCpu(SORT_SOURCE, false);
  for (;;) {
    const stop = cpu.run(1e9);
    if (stop.kind === 'sensitive') return cpu.state.instret;
    if (stop.kind === 'traps') cpu.takeHardwareTraps();
  }
}

function nativeSort(): number {
  const a = new Int32Array(N);
  let x = 12345;
  for (let i = 0; i < N; i++) {
    x = (Math.imul(x, 1103515245) + 1234) | 0;
    a[i] = x;
  }
  for (let i = 1; i < N; i++) {
    const key = a[i]!;
    let j = i;
    while (j > 0 && a[j - 1]! > key) {
      a[j] = a[j - 1]!;
      j--;
    }
    a[j] = key;
  }
  let sum = 0;
  for (let i = 0; i < N; i++) sum = (sum + a[i]!) | 0;
  return sum;
}

/** programs/build, found from this module whether it runs from bench/ or dist/bench/. */
function programsDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'programs', 'build');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return undefined;
}

/** One bare-mode run of a program to its halt on a reused computer; returns instructions. */
function bareRun(c: Computer, image: ProgramImage): number {
  c.load(image);
  c.devices.world = new World();
  const r = runBare(c, { maxInstructions: 1e9 });
  if (r.stop !== 'halt') throw new Error(`bench: program stopped with ${r.stop}`);
  return r.instructions;
}

function result(name: string, b: Measured, perOp: number, unit: string, baseline: number, ratio?: number): BenchResult {
  const figure = b.hz * perOp;
  return { suite: 'interpreter', name, figure, unit, baseline, ratio: ratio ?? figure / baseline, samples: b.samples, rme: b.rme };
}

export const suite: BenchSuite = {
  name: 'interpreter',
  async run({ quick }): Promise<BenchResult[]> {
    const SLICE = 2_000_000;
    const armed = makeCpu(LOOP_SOURCE, true);
    const disarmed = makeCpu(LOOP_SOURCE, true);
    const shared = makeCpu(LOOP_SOURCE, false);
    for (const [cpu, epoch] of [
      [armed, 4096],
      [disarmed, 0],
      [shared, 4096],
    ] as const)
      runEpochs(cpu, 30_000_000, epoch); // warm up
    const [withRr, noRr, sharedLoop] = (await interleaved(
      [
        ['rr', () => void runEpochs(armed, SLICE, 4096)],
        ['no rr', () => void runEpochs(disarmed, SLICE, 0)],
        ['shared', () => void runEpochs(shared, SLICE, 4096)],
      ],
      quick,
    )) as [Measured, Measured, Measured];
    const ips = withRr.hz * SLICE;
    const results = [
      result(
        'run(), sort+addv, rr epochs 4096 (baseline: rr disarmed)',
        withRr,
        SLICE,
        'instructions/s',
        noRr.hz * SLICE,
        ratioOf(withRr, noRr),
      ),
      result('run(), shared loop (baseline: specialised loop)', sharedLoop, SLICE, 'instructions/s', ips),
    ];

    const dir = programsDir();
    for (const name of ['sort', 'hash']) {
      const file = dir && join(dir, `${name}.elf`);
      if (!file || !existsSync(file)) {
        process.stderr.write(`interpreter bench: ${name}.elf not found, skipped\n`);
        continue;
      }
      const image = loadProgram(file);
      const c = new Computer({ seed: 1, ramMiB: 4, world: new World() });
      c.cpu.specialiseAfter = 0;
      c.cpu.engine = 'interp';
      const per = bareRun(c, image);
      for (let i = 0; i < 10; i++) bareRun(c, image); // warm up
      const b = await measure(name, () => void bareRun(c, image), quick);
      results.push(result(`bare mode, programs/build/${name}.elf (baseline: run() above)`, measured(b), per, 'instructions/s', ips));
    }

    const perSort = instructionsPerSort();
    const sorter = makeCpu(LOOP_SOURCE, true);
    runEpochs(sorter, 30_000_000, 4096);
    let sink = 0;
    const [emu, nat] = (await interleaved(
      [
        ['emulated sort', () => void runEpochs(sorter, perSort, 4096)],
        ['native sort', () => void (sink ^= nativeSort())],
      ],
      quick,
    )) as [Measured, Measured];
    if (sink === 0x7fffffff) process.stderr.write('');
    results.push(result(`sort of ${N} words, emulated (baseline: native JS)`, emu, 1, 'sorts/s', nat.hz, ratioOf(emu, nat)));
    return results;
  },
};
