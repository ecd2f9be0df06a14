import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { earliestPointArb, failurePointArb } from '../../src/fuzz/arbitrary.js';
import type { FailurePoint } from '../../src/ft/failure-point.js';

/** Failing points that are not monotone, as a guest's can be: 13 and 14 fail, 15..22 pass, 23 and 24 fail. */
const FAILING = new Set([13, 14, 23, 24]);
const survives = (n: number): boolean => !FAILING.has(n);

describe('failurePointArb', () => {
  it('gives event points 0..K-1', () => {
    const points = fc.sample(failurePointArb(30), { seed: 1, numRuns: 500 });
    for (const p of points) expect(p.kind === 'event' && Number.isInteger(p.n) && p.n >= 0 && p.n < 30).toBe(true);
    expect(new Set(points.map((p) => (p as { n: number }).n)).size).toBeGreaterThan(25);
    expect(fc.sample(failurePointArb(1), { seed: 1, numRuns: 20 })).toEqual(Array(20).fill({ kind: 'event', n: 0 }));
  });

  it('runs the property once per earlier point while shrinking, and no more', () => {
    for (const start of [0, 13, 14, 24, 30]) {
      let runs = 0;
      const r = fc.check(
        fc.property(failurePointArb(41), (p: FailurePoint) => {
          runs++;
          return survives(p.n);
        }),
        { examples: [[{ kind: 'event', n: start }]], numRuns: 1 },
      );
      // The example; when it fails, then 0, 1, ... up to the first that fails (13) or to the example itself.
      const want = FAILING.has(start) ? { failed: true, runs: 1 + Math.min(start, 14) } : { failed: false, runs: 1 };
      expect({ start, failed: r.failed, runs }).toEqual({ start, ...want });
    }
  });

  it('shrinks to the earliest failing point, where bisecting integers stop at a later one', () => {
    let bisectStoppedLate = 0;
    let failed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const plain = fc.check(fc.property(fc.integer({ min: 0, max: 40 }), survives), { seed, numRuns: 100 });
      const ours = fc.check(
        fc.property(failurePointArb(41), (p: FailurePoint) => survives(p.n)),
        { seed, numRuns: 100 },
      );
      expect(plain.failed).toBe(true);
      expect(ours.failed).toBe(true);
      failed++;
      if (plain.counterexample![0] !== 13) bisectStoppedLate++;
      expect(ours.counterexample![0]).toEqual({ kind: 'event', n: 13 });
    }
    expect(failed).toBe(40);
    expect(bisectStoppedLate).toBeGreaterThan(0); // the case failurePointArb exists for
  });

  it('shrinks a value given by hand (no context) too, earliest first', () => {
    const arb = earliestPointArb(10);
    expect(arb.canShrinkWithoutContext(7)).toBe(true);
    expect(arb.canShrinkWithoutContext(10)).toBe(false);
    expect(arb.canShrinkWithoutContext(-1)).toBe(false);
    const candidates = [...arb.shrink(4, undefined)];
    expect(candidates.map((v) => v.value)).toEqual([0, 1, 2, 3]);
    // A candidate was reached after every earlier one passed: nothing is left below it to try.
    expect([...arb.shrink(3, candidates[3]!.context)]).toEqual([]);
    const r = fc.check(
      fc.property(failurePointArb(41), (p: FailurePoint) => survives(p.n)),
      { examples: [[{ kind: 'event', n: 24 }]], numRuns: 1 },
    );
    expect(r.counterexample![0]).toEqual({ kind: 'event', n: 13 });
  });
});
