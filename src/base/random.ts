/**
 * Seeded random source of one computer: xorshift128 with its state in a Uint32Array (4 words), so that it
 * is plain, serialisable data (structuredClone copies it, a snapshot carries it). One computer seed yields
 * independent streams through `fork(label)`: trap delays, device latencies, clock jitter, the seed CSR, the
 * timer's phase. Nothing in shadowvm draws randomness from anywhere else.
 */

const TWO32 = 4294967296;

/** splitmix32: expands one 32-bit value into well-mixed words. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a label. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The 4-word xorshift128 state for a numeric seed (any number; only its low 53 bits matter). Never all zero. */
export function seedState(seed: number): Uint32Array {
  const lo = seed >>> 0;
  const hi = Math.floor(Math.abs(seed) / TWO32) >>> 0;
  const s = new Uint32Array(4);
  let x = lo ^ Math.imul(hi, 0x27d4eb2d);
  for (let i = 0; i < 4; i++) {
    x = splitmix32(x + i);
    s[i] = x;
  }
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  return s;
}

/** Advances a xorshift128 state in place and returns the next uint32. */
export function xorshift128(s: Uint32Array): number {
  let t = s[3]!;
  const first = s[0]!;
  s[3] = s[2]!;
  s[2] = s[1]!;
  s[1] = first;
  t ^= t << 11;
  t ^= t >>> 8;
  const r = (t ^ first ^ (first >>> 19)) >>> 0;
  s[0] = r;
  return r;
}

/** A uniform integer in 0..n-1 (n from 1 to 2^32), unbiased (rejection sampling), drawn from a state in place. */
export function belowState(s: Uint32Array, n: number): number {
  if (!(n >= 1 && n <= TWO32) || !Number.isInteger(n)) throw new RangeError(`random: below(${n}) needs an integer from 1 to 2^32`);
  if (n === 1) return 0;
  const limit = TWO32 - (TWO32 % n);
  for (;;) {
    const v = xorshift128(s);
    if (v < limit) return v % n;
  }
}

const TWO53 = 9007199254740992;

/**
 * A uniform integer in 0..n-1 for n from 1 to 2^53, unbiased, drawn from a state in place. For n up to 2^32
 * it is exactly `belowState` (the same draws, so the same results); above, it draws two words per try.
 */
export function belowStateWide(s: Uint32Array, n: number): number {
  if (n <= TWO32) return belowState(s, n);
  if (!(n <= TWO53) || !Number.isInteger(n)) throw new RangeError(`random: belowWide(${n}) needs an integer from 1 to 2^53`);
  const limit = TWO53 - (TWO53 % n);
  for (;;) {
    const v = (xorshift128(s) >>> 11) * TWO32 + xorshift128(s);
    if (v < limit) return v % n;
  }
}

export class Random {
  /** The xorshift128 state; mutated in place by every draw. */
  readonly state: Uint32Array;

  /** A number seeds a fresh state; a Uint32Array(4) is adopted as the state itself (not copied). */
  constructor(seed: number | Uint32Array) {
    if (typeof seed === 'number') this.state = seedState(seed);
    else {
      if (seed.length !== 4) throw new RangeError('random: a state has 4 words');
      this.state = seed;
    }
  }

  nextU32(): number {
    return xorshift128(this.state);
  }

  /** Uniform in 0..n-1. */
  below(n: number): number {
    return belowState(this.state, n);
  }

  /** Uniform in lo..hi, both inclusive. */
  range(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`random: range(${lo}, ${hi}) is empty`);
    return lo + this.below(hi - lo + 1);
  }

  /** True with probability 1/2. */
  coin(): boolean {
    return (this.nextU32() & 1) === 1;
  }

  /**
   * The state of an independent stream named `label`, derived from this stream's current state without
   * advancing it: the same parent and label always give the same child, whatever else was forked.
   */
  forkState(label: string): Uint32Array {
    const h = hashLabel(label);
    const s = new Uint32Array(4);
    let x = h;
    for (let i = 0; i < 4; i++) {
      x = splitmix32(x ^ this.state[i]! ^ Math.imul(i + 1, 0x9e3779b9));
      s[i] = x;
    }
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
    return s;
  }

  /** An independent generator for the stream named `label` (see `forkState`). */
  fork(label: string): Random {
    return new Random(this.forkState(label));
  }
}
