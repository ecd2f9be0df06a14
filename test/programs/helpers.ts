/**
 * Helpers for the guest-program tests: where the programs are, running one in bare mode, and the
 * expected outcome (console text and exit code) of every program. The expectations are the contract
 * other tests (fuzzer, benchmarks, CLI) may rely on: a change to a program must update them here.
 */
import { join } from 'node:path';
import { loadProgram } from '../../src/asm/load.js';
import { Computer } from '../../src/hw/computer.js';
import { runBare, type BareResult } from '../../src/hw/bare.js';
import { World } from '../../src/hw/world.js';
import type { ProgramImage } from '../../isa/image.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BUILD = join(ROOT, 'programs', 'build');

/** `sort` -> programs/build/sort.elf; `hello.s` -> programs/hello.s (assembled by the project's assembler). */
export function programPath(name: string): string {
  return name.endsWith('.s') ? join(ROOT, 'programs', name) : join(BUILD, `${name}.elf`);
}

export function image(name: string): ProgramImage {
  return loadProgram(programPath(name));
}

export interface Outcome extends BareResult {
  readonly console: string;
  readonly world: World;
}

/** Runs a program image alone (bare mode) on a fresh world. */
export function runImage(img: ProgramImage, opts: { seed?: number; input?: string; maxInstructions?: number } = {}): Outcome {
  const world = new World({ input: opts.input ?? '' });
  const computer = new Computer({ seed: opts.seed ?? 1, world });
  computer.load(img);
  const r = runBare(computer, { maxInstructions: opts.maxInstructions ?? 50_000_000 });
  return { ...r, console: world.consoleText(), world };
}

export const ECHO_INPUT = 'The quick brown fox jumps over the lazy dog.\nPositional reads, 64 bytes at a time: this line makes it three.\n';

export interface Expected {
  readonly exitCode: number;
  readonly console: string;
  /** Console input given to the program. */
  readonly input?: string;
}

/** What every program prints and its exit code, the same under every seed (bare or fault tolerant). */
export const EXPECTED: Readonly<Record<string, Expected>> = {
  sort: {
    exitCode: 115,
    console: 'sort: n=8192 quicksort=ok mergesort=ok min=16 median=498656 max=999987 checksum=0x63918ff3\n',
  },
  hash: {
    exitCode: 65,
    console:
      'hash: selftest=ok len=32768\n' +
      'sha256=c90a1710cc8a617ce86e82b3068fa387a95e78f7ec2fa7707f0347d5e72247c3\n' +
      'crc32=0x77bfe4c1 fnv1a=0x49a49343\n',
  },
  interp: {
    exitCode: 101,
    console: 'interp: 276 words of bytecode\n95\n4053\n1395\n-199\n0\n383640\ninterp: checksum=0x06fd80e5\n',
  },
  journal: {
    exitCode: 50,
    console: 'journal: wrote 48 records, 65 sectors\njournal: read back 48 good, 0 bad, 0 I/O errors, checksum 0x1375a0b2\n',
  },
  'journal-noreissue': {
    exitCode: 50,
    console: 'journal: wrote 48 records, 65 sectors\njournal: read back 48 good, 0 bad, 0 I/O errors, checksum 0x1375a0b2\n',
  },
  echo: {
    exitCode: 28,
    input: ECHO_INPUT,
    console: `echo: start\n${ECHO_INPUT}\necho: 109 bytes, sum 9756\n`,
  },
  mix: {
    exitCode: 112,
    console:
      'mix: block 128 sum=0xe4c9b312 ovf=76 divz=9\n' +
      'mix: block 256 sum=0x4866867f ovf=144 divz=22\n' +
      'mix: block 384 sum=0xe120933f ovf=225 divz=39\n' +
      'mix: block 512 sum=0x3d9a8619 ovf=300 divz=48\n' +
      'mix: block 640 sum=0x590f9d13 ovf=371 divz=57\n' +
      'mix: block 768 sum=0x7dc59fba ovf=447 divz=70\n' +
      'mix: block 896 sum=0x4123f307 ovf=520 divz=87\n' +
      'mix: block 1024 sum=0x9bb119f0 ovf=609 divz=96\n' +
      'mix: 1024 blocks, 609 overflowed, 96 divided by zero, disk ok, checksum 0x9bb119f0\n',
  },
  'hello.s': { exitCode: 13, console: 'hello, world\n' },
  'traps.s': { exitCode: 41, console: 'traps: ovf=4 divz=1 deliveries=5 v1=0x00007c00 results ok\n' },
  'disk.s': { exitCode: 39, console: 'disk: wrote 4 sectors\ndisk: read back 2048 bytes, ok\n' },
};
