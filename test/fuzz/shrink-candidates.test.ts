import { describe, expect, it } from 'vitest';
import { candidates, sizeOf, smaller } from '../../src/fuzz/shrink-candidates.js';
import { DEFAULT_CASE_CONFIG } from '../../src/fuzz/reference.js';
import type { FuzzCase } from '../../src/fuzz/case.js';
import type { Timeline } from '../../src/fuzz/timeline.js';

const base = DEFAULT_CASE_CONFIG;
const at = (n: number): FuzzCase => ({ ...base, fail: 'primary', point: { kind: 'event', n }, outstanding: 'dropped' });
const timeline: Timeline = {
  ops: [{ opId: 3, kind: 'disk-write', issuedAt: 5000, issueEpoch: 2, completedAt: 5100, completionEpoch: 2, deliveredEpoch: 2 }],
  epochs: [
    { epoch: 1, instret: 4096, reason: 'recovery register' },
    { epoch: 2, instret: 8192, reason: 'recovery register' },
  ],
};

describe('sizeOf: what a smaller case is', () => {
  it('fewer values away from the defaults first, then fewer cuts, fewer flipped outcomes, an earlier point, values nearer the defaults', () => {
    const random: FuzzCase = { ...at(2), seed: 9, epochLength: 1000 };
    const cut: FuzzCase = { ...at(40), cuts: [5000] };
    expect(smaller(sizeOf(cut, base), sizeOf(random, base))).toBe(true);
    expect(smaller(sizeOf(at(40), base), sizeOf(cut, base))).toBe(true);
    expect(smaller(sizeOf({ ...at(40), outstanding: 'performed' }, base), sizeOf(at(40), base))).toBe(true);
    expect(smaller(sizeOf(at(39), base), sizeOf(at(40), base))).toBe(true);
    expect(smaller(sizeOf({ ...random, epochLength: 2000 }, base), sizeOf(random, base))).toBe(true);
    expect(smaller(sizeOf(at(40), base), sizeOf(at(40), base))).toBe(false);
  });
});

describe('candidates', () => {
  it('from a random configuration: the defaults, then the defaults with a cut after each operation in flight, then one value at a time', () => {
    const random: FuzzCase = { ...at(7), seed: 9, trapDelayMax: 40, outstanding: 'seeded' };
    const list = candidates(random, { inFlight: [3] }, base, timeline);
    expect(list.slice(0, 5)).toEqual([
      { ...at(7), outstanding: 'seeded', cuts: undefined },
      { ...at(7), cuts: [5000], point: { kind: 'epoch', n: 2 }, outstanding: 'performed' },
      { ...at(7), cuts: [5000], point: { kind: 'epoch', n: 2 }, outstanding: 'dropped' },
      { ...random, seed: base.seed },
      { ...random, trapDelayMax: base.trapDelayMax },
    ]);
    // then fewer flipped outcomes, earlier points (earliest first, then halving the distance), values halfway to the defaults
    expect(list.slice(5).map((c) => [c.outstanding, c.point.n, c.trapDelayMax])).toEqual([
      ['performed', 7, 40],
      ['dropped', 7, 40],
      ['seeded', 0, 40],
      ['seeded', 4, 40],
      ['seeded', 6, 40],
      ['seeded', 7, 28],
    ]);
  });

  it('from a schedule case: one cut fewer; an instruction point becomes the event point of its class', () => {
    const c: FuzzCase = { ...at(0), cuts: [5000, 9000], point: { kind: 'instruction', n: 6000 } };
    const list = candidates(c, { inFlight: [], failedAfterEvents: 12 }, base, timeline);
    expect(list.slice(0, 4)).toEqual([
      { ...c, cuts: [9000] },
      { ...c, cuts: [5000] },
      { ...c, outstanding: 'performed' },
      { ...c, point: { kind: 'event', n: 12 } },
    ]);
    expect(candidates({ ...at(1), point: { kind: 'epoch', n: 1 } }, { inFlight: [] }, base, timeline).map((x) => x.point)).toEqual([
      { kind: 'epoch', n: 1 },
    ]);
  });
});
