import { describe, expect, it } from 'vitest';
import { CoverageTally } from '../../src/fuzz/coverage.js';

describe('CoverageTally', () => {
  it("counts Rule 3's seeded choices per operation: the performed ones and the others", () => {
    const tally = new CoverageTally();
    tally.add({ inFlight: [4, 5, 6], policy: 'seeded', performed: [5], completed: [], deliveredBelow: 1, notDelivered: [] });
    tally.add({ inFlight: [7], policy: 'performed', completed: [8], deliveredBelow: 3, notDelivered: [2] });
    expect([...tally.opened['in-flight/performed']]).toEqual([5, 7]);
    expect([...tally.opened['in-flight/dropped']]).toEqual([4, 6]);
    expect([...tally.opened.completed]).toEqual([8]);
    expect([...tally.opened.delivered]).toEqual([1]);
  });
});
