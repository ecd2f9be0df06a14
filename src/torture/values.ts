/** Interesting values for the campaign: boundaries of 32-bit words, RAM's edges, and hostile strings. */
import { RAM_BASE } from '../../isa/csrs.js';
import type { Random } from '../base/random.js';

/** The end of the default 16 MiB of RAM. */
export const RAM_END = RAM_BASE + 16 * 1024 * 1024;

/** One element of `items`, chosen uniformly. */
export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[rng.below(items.length)]!;
}

/** True with probability p (p in 0..1, in steps of 1/1000). */
export function chance(rng: Random, p: number): boolean {
  return rng.below(1000) < Math.round(p * 1000);
}

/** 32-bit words that sit on a boundary: signs, powers of two, RAM's first and last words, ends of the address space. */
export const WORDS: readonly number[] = [
  0,
  1,
  2,
  3,
  4,
  7,
  8,
  15,
  16,
  31,
  32,
  511,
  512,
  513,
  1024,
  4096,
  65535,
  65536,
  0x7fff,
  0x8000,
  0xffff,
  0x10000,
  0x7fffffff,
  0x80000000,
  0x80000001,
  0x80000002,
  0x80000004,
  0xfffffffc,
  0xfffffffe,
  0xffffffff,
  0x00100000,
  0x00f00000,
  0x01000000,
  RAM_END - 4,
  RAM_END - 2,
  RAM_END - 1,
  RAM_END,
  RAM_END + 4,
  RAM_END - 32,
  RAM_END - 16,
  RAM_END - 512,
  RAM_BASE + 0x1000,
  RAM_BASE + 0x2000,
  RAM_BASE + 0x100000,
  0x40000000,
  0xdeadbeef,
];

/** A 32-bit word: a boundary value, a boundary value nudged, or uniformly random. */
export function word(rng: Random): number {
  switch (rng.below(4)) {
    case 0:
      return rng.nextU32();
    case 1:
      return (pick(rng, WORDS) + rng.range(-3, 3)) >>> 0;
    default:
      return pick(rng, WORDS) >>> 0;
  }
}

/** Numbers as text, for flag values and assembly operands: valid, boundary, malformed. */
export const NUMBER_TEXTS: readonly string[] = [
  '0',
  '1',
  '-1',
  '2',
  '7',
  '16',
  '255',
  '256',
  '4096',
  '65536',
  '0x10',
  '0x0',
  '0xffffffff',
  '4294967295',
  '4294967296',
  '2147483647',
  '2147483648',
  '-2147483648',
  '9007199254740991',
  '9007199254740992',
  '18446744073709551616',
  '1e3',
  '1.5',
  '.5',
  '0.0',
  '-0',
  '+1',
  '0x',
  '0b101',
  '0o7',
  '1_000',
  ' 1',
  '1 ',
  'NaN',
  'Infinity',
  '-Infinity',
  '١٢',
  '１',
  '',
  ' ',
  'abc',
  '0xg',
  '--',
  '-',
  '1/0',
  '0/1',
  '1/1',
  '2/1',
  '1/2',
  '3/2',
  '1/3',
  '9999999/10000000',
];

/** Strings no option expects. */
export const HOSTILE_TEXTS: readonly string[] = [
  '',
  ' ',
  '\t',
  '\n',
  '\u0000',
  '\u202e',
  '%s%s%n',
  '../../../../etc/passwd',
  '/dev/null',
  '/',
  '.',
  '-',
  '--',
  '--json',
  '-h',
  'x'.repeat(5000),
  '💥',
  '\\',
  '"',
  "'",
  '${HOME}',
  'null',
  'undefined',
  'true',
  '__proto__',
  'constructor',
];

/** A number as text: sometimes valid in [lo, hi], sometimes a boundary or malformed. */
export function numberText(rng: Random, lo: number, hi: number): string {
  switch (rng.below(6)) {
    case 0:
    case 1:
    case 2:
      return String(rng.range(lo, hi));
    case 3:
      return '0x' + rng.range(lo, hi).toString(16);
    case 4:
      return pick(rng, NUMBER_TEXTS);
    default:
      return pick(rng, HOSTILE_TEXTS);
  }
}
