/**
 * Assembler speed: source lines per second for a 10,000-line program, assembled to an image.
 *
 * Two programs, both generated here deterministically in the style of hand-written code (functions
 * with prologues, loops with numeric labels, li/la/call, loads and stores, CSR reads, a data section):
 *  - `distinct lines`: every line differs (numbered comments; a worst case: every line is parsed, and
 *    ohm parsing dominates the time);
 *  - `typical repetition`: lines such as `ret` or `addi sp, sp, -16` recur as in real code, and the
 *    per-file line cache parses each distinct line once.
 *
 * Baseline: the same source through a trivial line splitter and tokenizer (split lines, drop
 * comments, split on blanks, commas and parentheses) - the cost of merely reading the text, a floor
 * that no assembler written in JavaScript can beat; ratio = our lines/s / the tokenizer's lines/s.
 * When the Debian RISC-V toolchain is installed, a third result compares with GNU as on the first
 * program (process start included); ratio = ours / GNU's.
 *
 * With gcc too: a gcc-style file of about 50,000 lines, made of the gcc -S output (-O0 and -O2, one
 * section per function) of the project's C files, repeated with every symbol a file defines renamed
 * per copy (`f` -> `f_3`). Symbols they leave undefined (the runtime's) are given addresses. Both
 * assemblers take the same file in the same run: ours in process, GNU as as a process. Last, the
 * command line: `node bin/shadowvm.js asm` (a cold process, built dist/) on the 10k distinct-line
 * program against GNU as on the same file. The 50k file is also assembled as a relocatable object
 * (`asm -c`, no externs), against the same GNU as run. Then the command line again, on a gcc-style file
 * of about 10,000 lines made the same way and given `.set` lines for the symbols it leaves undefined, so
 * that it assembles into an executable alone: the cold run that issue 13 wants under 0.5 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Benchmark from 'benchmark';
import { assemble } from '../../src/asm/assembler.js';
import { assembleObject } from '../../src/asm/object.js';
import { packageRoot } from '../../src/asm/grammar.js';
import type { BenchResult, BenchSuite } from '../types.js';

const LINES = 10_000;
const REGS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 't0', 't1', 't2', 's0', 's1', 's2'];

/** A program of exactly `count` lines; `distinct` makes every line differ (offsets and constants vary). */
export function benchProgram(count: number, distinct: boolean): string {
  const lines = ['    .text', '    .globl _start', '_start:'];
  const code = Math.floor(count * 0.9);
  for (let n = 1; lines.length < code; n++) {
    const v = distinct ? n : n % 8;
    const r = (k: number): string => REGS[(n + k) % REGS.length]!;
    lines.push(
      `func${n}:`,
      `    addi    sp, sp, -${16 + 16 * (v % 4)}`,
      `    sw      ra, ${12 + 16 * (v % 4)}(sp)`,
      `    li      ${r(0)}, ${distinct ? n * 37 : 37}`,
      `    li      ${r(1)}, 0x${(distinct ? n * 0x10001 : 0x12345678).toString(16)}`,
      `1:  add     ${r(2)}, ${r(3)}, ${r(4)}        # loop body`,
      `    lw      t0, ${(v % 64) * 4}(s0)`,
      `    andi    t1, t0, ${distinct ? n % 2048 : 0xff}`,
      `    bnez    t1, 1b`,
      `    la      a2, data${n % 50}`,
      `    call    func${Math.max(1, n - 1)}`,
      `    csrr    t2, mstatus`,
      `    lw      ra, ${12 + 16 * (v % 4)}(sp)`,
      `    addi    sp, sp, ${16 + 16 * (v % 4)}`,
      '    ret',
    );
  }
  lines.length = Math.min(lines.length, code);
  lines.push('    .data');
  for (let i = 0; lines.length < count; i++) {
    lines.push(`data${i}: .word ${i}, ${i * 2}, data${i} + 4`, `    .asciz "string ${distinct ? i : 0}"`, '    .align 2');
  }
  lines.length = count;
  // Distinct: a numbered comment makes even `ret` lines differ, so that every line is parsed.
  return (distinct ? lines.map((l, i) => `${l}  # ${i}`) : lines).join('\n') + '\n';
}

/** The baseline: reading the text into tokens and nothing else. */
function tokenize(source: string): number {
  let tokens = 0;
  for (const line of source.split('\n')) {
    const code = line.split('#')[0]!;
    for (const t of code.split(/[\s,()]+/)) if (t !== '') tokens++;
  }
  return tokens;
}

const GCC_FLAGS = [
  '-march=rv32im_zicsr',
  '-mabi=ilp32',
  '-std=gnu11',
  '-ffreestanding',
  '-nostdlib',
  '-ffunction-sections',
  '-fdata-sections',
  '-Iprograms/runtime',
];

/** About `count` lines of gcc -S output (whole files), from `root`'s C programs; see the header. */
export function gccStyleProgram(root: string, count: number): string {
  const sources = [
    'programs/c/hash.c',
    'programs/c/interp.c',
    'programs/c/sort.c',
    'programs/runtime/kio.c',
    'programs/runtime/fmt.c',
    'programs/c/journal.c',
    'programs/c/mix.c',
  ];
  const files = sources.flatMap((src) =>
    ['-O2', '-O0'].map((level) =>
      execFileSync('riscv64-unknown-elf-gcc', [...GCC_FLAGS, level, '-S', src, '-o', '-'], { cwd: root, encoding: 'utf8' }),
    ),
  );
  const out: string[] = [];
  for (let k = 0; out.length < count; k++) {
    const src = files[k % files.length]!;
    const defined = new Set<string>();
    for (const m of src.matchAll(/^([A-Za-z_.$][\w.$]*):/gm)) defined.add(m[1]!);
    const text = src.replace(/[A-Za-z_.$][\w.$]*/g, (id) => (defined.has(id) ? `${id}_${k}` : id));
    // GNU as wants .attribute before any instruction: keep the first file's only.
    out.push(...text.split('\n').filter((l) => k === 0 || !l.includes('.attribute')));
  }
  return out.join('\n') + '\n';
}

/** GNU as's arguments for assembling `file` into the object `out`. */
function gnuArgs(file: string, out: string): string[] {
  return ['-march=rv32im_zicsr', '-mabi=ilp32', '-mno-relax', file, '-o', out];
}

/** The symbols GNU as leaves undefined in the object of `args` (the runtime's), each given an address. */
function undefinedSymbols(args: string[]): Map<string, number> {
  spawnSync('riscv64-unknown-elf-as', args);
  const names = execFileSync('riscv64-unknown-elf-nm', ['-u', args[args.length - 1]!], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/).pop()!)
    .filter((n) => n !== '');
  return new Map(names.map((n, i) => [n, 0x80400000 + 0x100 * i] as [string, number]));
}

/**
 * About `count` lines of gcc-style source (gccStyleProgram) written to `dir`/gcc10k.s with a `.set` line for
 * each symbol it leaves undefined, so that it assembles into an executable alone; its file and line count.
 */
export function gccStyleExecutable(root: string, count: number, dir: string): { file: string; lines: number } {
  const text = gccStyleProgram(root, count);
  const file = join(dir, 'gcc10k.s');
  writeFileSync(file, text);
  const sets = [...undefinedSymbols(gnuArgs(file, join(dir, 'gcc10k.o')))].map(([n, v]) => `\t.set\t${n},0x${v.toString(16)}`);
  writeFileSync(file, text + sets.join('\n') + '\n');
  return { file, lines: text.split('\n').length - 1 + sets.length };
}

/** Mean seconds per run of `fn`, timed as a whole over `runs` runs after one warm-up. */
function wall(fn: () => unknown, runs: number): number {
  fn();
  const t = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - t) / 1000 / runs;
}

function measure(name: string, fn: () => unknown, quick: boolean): Benchmark {
  const b = new Benchmark(name, fn, { maxTime: quick ? 1 : 5, minSamples: quick ? 2 : 5 });
  b.run();
  if (b.error) throw b.error;
  return b;
}

function result(name: string, mine: Benchmark, base: Benchmark): BenchResult {
  const figure = LINES / mine.stats.mean;
  const baseline = LINES / base.stats.mean;
  return {
    suite: 'assembler',
    name,
    figure,
    unit: 'lines/s',
    baseline,
    ratio: figure / baseline,
    samples: mine.stats.sample.length,
    rme: mine.stats.rme,
  };
}

export const suite: BenchSuite = {
  name: 'assembler',
  async run({ quick }) {
    const distinct = benchProgram(LINES, true);
    const typical = benchProgram(LINES, false);
    const out: BenchResult[] = [];
    for (const [name, source] of [
      ['10k lines, distinct lines', distinct],
      ['10k lines, typical repetition', typical],
    ] as const) {
      const base = measure('tokenizer', () => tokenize(source), quick);
      const mine = measure('assemble', () => assemble(source, { file: 'bench.s' }), quick);
      out.push(result(`${name} (vs tokenizer)`, mine, base));
    }
    const gnu = spawnSync('riscv64-unknown-elf-as', ['--version'], { stdio: 'ignore' }).status === 0;
    if (gnu) {
      const dir = mkdtempSync(join(tmpdir(), 'shadowvm-bench-'));
      try {
        const file = join(dir, 'bench.s');
        writeFileSync(file, distinct);
        const args = gnuArgs(file, join(dir, 'bench.o'));
        const base = measure('GNU as', () => spawnSync('riscv64-unknown-elf-as', args), quick);
        const mine = measure('assemble', () => assemble(distinct, { file: 'bench.s' }), quick);
        out.push(result('10k lines, distinct lines (vs GNU as)', mine, base));
        const runs = quick ? 2 : 5;
        const cliRoot = packageRoot();
        const cli = join(cliRoot, 'bin', 'shadowvm.js');
        const cliSec = wall(() => spawnSync(process.execPath, [cli, 'asm', file, '-o', join(dir, 'cli.elf')]), runs);
        const gnuSec = wall(() => spawnSync('riscv64-unknown-elf-as', args), runs);
        out.push({
          suite: 'assembler',
          name: 'command line, 10k lines, cold (vs GNU as)',
          figure: LINES / cliSec,
          unit: 'lines/s',
          baseline: LINES / gnuSec,
          ratio: gnuSec / cliSec,
          samples: runs,
          rme: 0,
        });
        if (spawnSync('riscv64-unknown-elf-gcc', ['--version'], { stdio: 'ignore' }).status === 0) {
          const big = gccStyleProgram(cliRoot, 50_000);
          const lines = big.split('\n').length - 1;
          const bigFile = join(dir, 'gcc50k.s');
          writeFileSync(bigFile, big);
          const bigArgs = gnuArgs(bigFile, join(dir, 'gcc50k.o'));
          const externs = undefinedSymbols(bigArgs);
          const oursSec = wall(() => assemble(big, { file: 'gcc50k.s', externs }), runs);
          const theirsSec = wall(() => spawnSync('riscv64-unknown-elf-as', bigArgs), runs);
          out.push({
            suite: 'assembler',
            name: `gcc-style ${Math.round(lines / 1000)}k lines, in process (vs GNU as)`,
            figure: lines / oursSec,
            unit: 'lines/s',
            baseline: lines / theirsSec,
            ratio: theirsSec / oursSec,
            samples: runs,
            rme: 0,
          });
          // The same file as a relocatable object (`asm -c`): no externs needed, relocations instead.
          const objectSec = wall(() => assembleObject(big, { file: 'gcc50k.s' }), runs);
          out.push({
            suite: 'assembler',
            name: `gcc-style ${Math.round(lines / 1000)}k lines, object (asm -c) in process (vs GNU as)`,
            figure: lines / objectSec,
            unit: 'lines/s',
            baseline: lines / theirsSec,
            ratio: theirsSec / objectSec,
            samples: runs,
            rme: 0,
          });
          // The command line, cold, on a gcc-style file that assembles alone (`.set` for what it leaves undefined).
          const { file: smallFile, lines: smallLines } = gccStyleExecutable(cliRoot, LINES, dir);
          const smallArgs = gnuArgs(smallFile, join(dir, 'gcc10k.o'));
          const coldSec = wall(() => spawnSync(process.execPath, [cli, 'asm', smallFile, '-o', join(dir, 'gcc10k.elf')]), runs);
          const gnuSmallSec = wall(() => spawnSync('riscv64-unknown-elf-as', smallArgs), runs);
          out.push({
            suite: 'assembler',
            name: `command line, gcc-style ${Math.round(smallLines / 1000)}k lines, cold (vs GNU as)`,
            figure: smallLines / coldSec,
            unit: 'lines/s',
            baseline: smallLines / gnuSmallSec,
            ratio: gnuSmallSec / coldSec,
            samples: runs,
            rme: 0,
          });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return out;
  },
};
