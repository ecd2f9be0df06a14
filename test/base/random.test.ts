import { describe, expect, it } from 'vitest';
import { belowState, belowStateWide, Random, seedState, xorshift128 } from '../../src/base/random.js';

describe('seeded random source', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const xs = Array.from({ length: 10 }, () => a.nextU32());
    expect(Array.from({ length: 10 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 10 }, () => c.nextU32())).not.toEqual(xs);
    for (const x of xs) expect(x >>> 0).toBe(x);
  });

  it('its state is a Uint32Array that can be copied and resumed', () => {
    const a = new Random(7);
    a.nextU32();
    const copy = new Random(Uint32Array.from(a.state));
    expect(copy.nextU32()).toBe(a.nextU32());
    const s = seedState(7);
    const r = new Random(7);
    expect(xorshift128(s)).toBe(r.nextU32());
  });

  it('never has an all-zero state (which would be stuck)', () => {
    for (let seed = 0; seed < 1000; seed++) expect(Array.from(seedState(seed)).some((w) => w !== 0)).toBe(true);
    expect(seedState(2 ** 40)).not.toEqual(seedState(0));
  });

  it('below(n) is in range and roughly uniform; range is inclusive', () => {
    const r = new Random(1);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[r.below(6)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    for (let i = 0; i < 200; i++) {
      const v = r.range(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
    }
    expect(r.below(1)).toBe(0);
    expect(r.below(2 ** 32)).toBeLessThan(2 ** 32);
    expect(() => r.below(0)).toThrow('random: below(0) needs an integer from 1 to 2^32');
    expect(() => r.range(2, 1)).toThrow('random: range(2, 1) is empty');
    expect(belowState(seedState(3), 10)).toBe(new Random(3).below(10));
  });

  it('belowStateWide(n) equals belowState up to 2^32 and stays in range up to 2^53', () => {
    for (const n of [1, 7, 1000, 2 ** 32]) {
      const a = seedState(11);
      const b = seedState(11);
      for (let i = 0; i < 50; i++) expect(belowStateWide(a, n)).toBe(belowState(b, n));
      expect(Array.from(a)).toEqual(Array.from(b));
    }
    const s = seedState(12);
    const n = 0xffffffff * 1000;
    let high = 0;
    for (let i = 0; i < 200; i++) {
      const v = belowStateWide(s, n);
      expect(Number.isInteger(v) && v >= 0 && v < n).toBe(true);
      if (v >= 2 ** 32) high++;
    }
    expect(high).toBeGreaterThan(150); // nearly all of 0..n-1 lies above 2^32
    expect(belowStateWide(s, 2 ** 53)).toBeLessThan(2 ** 53);
    expect(() => belowStateWide(s, 2 ** 53 + 2)).toThrow('random: belowWide(9007199254740994) needs an integer from 1 to 2^53');
    expect(() => belowStateWide(s, 0)).toThrow('random: below(0) needs an integer from 1 to 2^32');
  });

  it('fork gives independent named streams without advancing the parent', () => {
    const root = new Random(99);
    const before = Array.from(root.state);
    const t1 = root.fork('trap-delays');
    const t2 = new Random(99).fork('trap-delays');
    const d = root.fork('device-latencies');
    expect(Array.from(root.state)).toEqual(before);
    expect(t1.nextU32()).toBe(t2.nextU32());
    expect(d.nextU32()).not.toBe(new Random(99).fork('trap-delays').nextU32());
    expect(new Random(100).fork('trap-delays').state).not.toEqual(new Random(99).fork('trap-delays').state);
  });
});
