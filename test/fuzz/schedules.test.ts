import { describe, expect, it } from 'vitest';
import { planSchedules } from '../../src/fuzz/schedules.js';
import type { Timeline } from '../../src/fuzz/timeline.js';
import { runReference } from '../../src/fuzz/reference.js';
import { DEFAULTS } from '../../src/base/defaults.js';
import { program } from '../programs.js';

const op = (opId: number, issuedAt: number, issueEpoch: number, completedAt?: number, completionEpoch?: number) => ({
  opId,
  kind: 'disk-write',
  issuedAt,
  issueEpoch,
  completedAt,
  completionEpoch,
  deliveredEpoch: completionEpoch,
});

describe('planSchedules', () => {
  const epochs = [1, 2, 3, 4].map((e) => ({ epoch: e, instret: e * 1000, reason: 'rr' }));

  it('plans nothing for operations the seeded schedule leaves in flight across an epoch end', () => {
    expect(planSchedules({ ops: [op(1, 100, 1, 1500, 2)], epochs })).toEqual([]);
  });

  it('cuts once for operations whose spans overlap, at the latest issue inside the first span, failing after that epoch', () => {
    const t: Timeline = { ops: [op(1, 100, 1, 400, 1), op(2, 300, 1, 900, 1), op(3, 500, 1, 600, 1), op(4, 2100, 3, 2200, 3)], epochs };
    expect(planSchedules(t)).toEqual([
      { cuts: [300], point: { kind: 'epoch', n: 1 }, ops: [1, 2] },
      { cuts: [500], point: { kind: 'epoch', n: 1 }, ops: [3] },
      { cuts: [2100], point: { kind: 'epoch', n: 3 }, ops: [4] },
    ]);
  });

  it('grows with the number of operations, not instructions: at most one schedule per operation of a real run', () => {
    const ref = runReference(
      program('disk.s'),
      {
        seed: 1,
        epochLength: DEFAULTS.epochLength,
        trapDelayMax: DEFAULTS.trapDelayMax,
        channelCapacity: DEFAULTS.channelCapacity,
        backupPace: DEFAULTS.backupPace,
        drainEndsEpoch: false,
      },
      { maxInstructions: 1_000_000, flaws: [] },
      0,
    );
    const plan = planSchedules(ref.timeline);
    expect(ref.timeline.ops.length).toBeGreaterThan(0);
    expect(plan.length).toBeLessThanOrEqual(ref.timeline.ops.length);
    for (const s of plan) expect(s.ops.length).toBeGreaterThan(0);
  });
});
