/**
 * Interpreter speed: guest instructions per second of `Cpu.run` on CPU-bound code (an insertion sort of
 * 1024 pseudo-random words, then a checksum with `addv`, whose overflows keep the trap unit busy), with the
 * recovery register armed as a monitor arms it (epochs of 4096 instructions, reloaded at each stop).
 *
 * Results (each a ratio against a baseline measured in the same run):
 *  - `sort+addv, rr epochs 4096`: baseline = the same program with the recovery register disarmed
 *    (ratio: what the epoch stops cost);
 *  - `sort, emulated vs native JS`: guest sorts per second against the same insertion sort written in
 *    JavaScript on an Int32Array (ratio: the emulation slowdown).
 */
import Benchmark from 'benchmark';
import { Cpu } from '../../src/cpu/cpu.js';
import { assemble } from '../../src/asm/assembler.js';
import type { BenchResult, BenchSuite } from '../types.js';

const N = 1024;

/** The guest: forever { fill a[0..N) with an LCG; insertion sort; checksum with addv }. */
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

function makeCpu(source: string): Cpu {
  const cpu = Cpu.create({ ramBytes: 1 << 20, trapDelayMax: 16, trapSeed: 7 });
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
  const cpu = makeCpu(SORT_SOURCE);
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

function measure(name: string, fn: () => void, quick: boolean): Promise<Benchmark> {
  return new Promise((resolve) => {
    const b = new Benchmark(name, fn, { minSamples: quick ? 5 : 20, maxTime: quick ? 1 : 4 });
    b.on('complete', () => resolve(b));
    b.run();
  });
}

export const suite: BenchSuite = {
  name: 'interpreter',
  async run({ quick }): Promise<BenchResult[]> {
    const SLICE = 2_000_000;
    const armed = makeCpu(LOOP_SOURCE);
    const disarmed = makeCpu(LOOP_SOURCE);
    const withRr = await measure('rr', () => void runEpochs(armed, SLICE, 4096), quick);
    const noRr = await measure('no rr', () => void runEpochs(disarmed, SLICE, 0), quick);
    const ips = withRr.hz * SLICE;
    const ipsBase = noRr.hz * SLICE;

    const perSort = instructionsPerSort();
    const sorter = makeCpu(LOOP_SOURCE);
    const emu = await measure('emulated sort', () => void runEpochs(sorter, perSort, 4096), quick);
    let sink = 0;
    const nat = await measure('native sort', () => void (sink ^= nativeSort()), quick);
    if (sink === 0x7fffffff) process.stderr.write('');
    return [
      {
        suite: 'interpreter', name: 'sort+addv, rr epochs 4096 (baseline: rr disarmed)', figure: ips, unit: 'instructions/s',
        baseline: ipsBase, ratio: ips / ipsBase, samples: withRr.stats.sample.length, rme: withRr.stats.rme,
      },
      {
        suite: 'interpreter', name: `sort of ${N} words, emulated (baseline: native JS)`, figure: emu.hz, unit: 'sorts/s',
        baseline: nat.hz, ratio: emu.hz / nat.hz, samples: emu.stats.sample.length, rme: emu.stats.rme,
      },
    ];
  },
};
