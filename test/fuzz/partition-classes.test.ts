import { describe, expect, it } from 'vitest';
import { fuzzFailover, type FuzzOptions, type FuzzReport } from '../../src/fuzz/fuzz.js';
import { classLabel, partitionClasses } from '../../src/fuzz/partition-classes.js';
import type { EventMark, Timeline } from '../../src/fuzz/timeline.js';
import { program, programPath } from '../programs.js';

const mark = (kind: string, epoch: number, outbox = 0): EventMark => ({ kind, epoch, outbox });
const timeline = (events: EventMark[]): Timeline => ({ ops: [], epochs: [], start: mark('reset', 1), events });

describe('partition classes', () => {
  it('merge a point into the one before only across an event that sends nothing, in the same epoch, with nothing queued', () => {
    const t = timeline([
      mark('io-issued', 1), // event:1 joins event:0
      mark('completion-received', 1), // event:2 too
      mark('message-sent', 1), // a message the earlier cuts lose: a new class
      mark('io-issued', 2), // another epoch: a new class
      mark('completion-received', 2), // joins event:4
      mark('io-issued', 2, 1), // a message waits in the outbox (the channel was full): a new class
      mark('completion-received', 2, 1), // the outbox was not empty before it: a new class
    ]);
    const classes = partitionClasses(t, 8);
    expect(classes).toEqual([
      { point: 0, points: 3 },
      { point: 3, points: 1 },
      { point: 4, points: 2 },
      { point: 6, points: 1 },
      { point: 7, points: 1 },
    ]);
    expect(classes.map(classLabel)).toEqual([
      'partition@event:0..2',
      'partition@event:3',
      'partition@event:4..5',
      'partition@event:6',
      'partition@event:7',
    ]);
  });
});

/** `partition@event:N|side` -> the oracles its case failed (only the failing ones). */
function partitionVerdicts(r: FuzzReport): Map<string, string> {
  const m = new Map<string, string[]>();
  for (const f of r.failures) {
    if (!f.point.startsWith('partition@')) continue;
    const k = `${f.point}|${f.side}`;
    m.set(k, [...(m.get(k) ?? []), f.oracle]);
  }
  return new Map([...m].map(([k, v]) => [k, [...new Set(v)].sort().join(',')]));
}

/** Sweeps unmerged and merged; every point of a class must have its first point's verdicts, and the merged sweep those. */
async function expectSameFailures(name: string, extra: FuzzOptions, caught = true): Promise<{ merged: FuzzReport; unmerged: FuzzReport }> {
  const base: FuzzOptions = { workers: 2, determinismSamples: 0, schedules: false, programName: programPath(name), ...extra };
  const unmerged = await fuzzFailover(program(name), { ...base, mergePartitions: false });
  const merged = await fuzzFailover(program(name), base);
  const all = partitionVerdicts(unmerged);
  const got = partitionVerdicts(merged);
  // Where the flaw shows in partition cases, the comparison is about failures, not only passes.
  if (caught) expect(all.size).toBeGreaterThan(0);
  const expected = new Map<string, string>();
  for (const c of merged.partitionClasses!) {
    for (const side of ['primary', 'backup']) {
      const first = all.get(`partition@event:${c.point}|${side}`);
      for (let p = c.point; p < c.point + c.points; p++)
        expect([p, side, all.get(`partition@event:${p}|${side}`)]).toEqual([p, side, first]);
      if (first) expected.set(`partition@event:${c.point}|${side}`, first);
    }
  }
  expect(got).toEqual(expected);
  expect(merged.caseList.partitions).toBe(2 * merged.partitionClasses!.length);
  expect(merged.caseList.partitionPoints).toBe(unmerged.caseList.partitions! / 2);
  expect(merged.partitionClasses!.reduce((n, c) => n + c.points, 0)).toBe(merged.distinctPoints);
  return { merged, unmerged };
}

describe('the merged sweep finds what the unmerged one finds', () => {
  it('--flaw no-fencing on disk.s', async () => {
    const { merged } = await expectSameFailures('disk.s', { flaws: ['no-fencing'] });
    expect(merged.partitionClasses!.length).toBeLessThan(merged.distinctPoints);
  }, 300_000);

  // 16K-instruction epochs keep these quick; ledger-seq-reuse's flaw shows in no partition case of this configuration.
  for (const [name, caught] of [
    ['ledger-plain.elf', true],
    ['ledger-seq-reuse.elf', false],
    ['ledger-blind-cond.elf', true],
  ] as const) {
    it(
      name,
      async () => {
        await expectSameFailures(name, { config: { epochLength: 16384 } }, caught);
      },
      300_000,
    );
  }
});
