import { describe, expect, it } from 'vitest';
import { Group, type GroupOptions } from '../../src/ft/group.js';
import { Pair } from '../../src/ft/pair.js';
import { wireBytes } from '../../src/ft/rebackup.js';
import { parseFailureSequence } from '../../src/ft/failure-sequence.js';
import { program } from '../programs.js';

const base: GroupOptions = { seed: 11, ramMiB: 2, monitor: { checkDigests: true }, rebackupAfter: 2 };

describe('rebackup by state transfer', () => {
  const ref = new Pair(program('counter.elf'), base).run();

  function survive(opts: GroupOptions) {
    const g = new Group(program('counter.elf'), { ...base, ...opts });
    const r = g.run();
    expect(r.divergence).toBeUndefined();
    expect(r.stop).toBe('halt');
    expect(r.console).toBe(ref.console);
    expect(new Set(r.replicas.filter((x) => x.alive).map((x) => x.digest)).size).toBe(1);
    return r;
  }

  it('K = 1: the new primary gets a backup again, which survives the next failure (digests checked every epoch)', () => {
    const r = survive({ failures: parseFailureSequence('event:40,event:100') });
    expect(r.takeovers).toHaveLength(2);
    expect(r.failures.map((f) => f.name)).toEqual(['primary', 'backup']);
    expect(r.replicas.find((x) => x.rank === 0)?.name).toBe('rebackup1');
    const t = r.rebackups[0]!;
    expect(t.outcome).toBe('joined');
    expect(t.rounds).toBeGreaterThanOrEqual(2);
    expect(t.pagesPerRound[0]! * 4096).toBe(t.nonZeroRamBytes); // round 1: every non-zero page, once
    expect(t.ramBytes).toBeGreaterThanOrEqual(t.nonZeroRamBytes);
    expect(t.pauseEpochs).toBeLessThanOrEqual(1);
    expect(t.epochsToProtection).toBe(t.joinEpoch! - t.lostAtEpoch);
    expect(t.startEpoch).toBe(t.lostAtEpoch + 2);
  });

  it('a transfer interrupted by the primary failure is abandoned; the new primary starts another, which joins', () => {
    const r = survive({ backups: 2, transferBytesPerEpoch: 16384, failures: parseFailureSequence('backup@event:30,event:40') });
    const [first, second] = r.rebackups;
    expect(first).toMatchObject({ name: 'rebackup1', outcome: 'aborted', abortReason: 'its source, the primary, failed' });
    expect(first!.joinEpoch).toBeUndefined();
    expect(second).toMatchObject({ name: 'rebackup2', outcome: 'joined' });
    // 16 KiB an epoch: round 1 alone (every non-zero page, 32 KiB) takes two epochs
    expect(second!.joinEpoch! - second!.startEpoch).toBeGreaterThanOrEqual(2);
    expect(r.backups).toBe(2);
  });

  it('a joining replica that fails during its transfer: the transfer is abandoned, a new one starts and joins', () => {
    const opts = { transferBytesPerEpoch: 16384 };
    const probe = new Group(program('counter.elf'), { ...base, ...opts, failures: parseFailureSequence('event:40') });
    probe.run();
    const [start, join] = [probe.marks.transferStarts[0]!, probe.marks.joins[0]!];
    expect(join - start).toBeGreaterThan(1);
    const mid = Math.floor((start + join) / 2) + 1;
    const r = survive({ ...opts, failures: parseFailureSequence(`event:40,joining@event:${mid}`) });
    expect(r.failures.map((f) => [f.name, f.side, f.rank, f.step])).toEqual([
      ['primary', 'primary', 0, 'event:40'],
      ['rebackup1', 'joining', 1, `joining@event:${mid}`],
    ]);
    const [first, second] = r.rebackups;
    expect(first).toMatchObject({ name: 'rebackup1', outcome: 'aborted', abortReason: 'the joining replica failed' });
    expect(second).toMatchObject({ name: 'rebackup2', outcome: 'joined' });
    // The loss of the joining replica starts the wait again.
    expect(second!.startEpoch).toBe(second!.lostAtEpoch + 2);
    expect(r.backups).toBe(1);
    expect(r.notInjected).toEqual([]);
  });

  it('joining@ with no transfer running is reported, not injected', () => {
    const r = new Group(program('counter.elf'), { ...base, failures: parseFailureSequence('joining@event:5') }).run();
    expect(r.notInjected).toEqual(['joining@event:5: no replica joining when the point came']);
    expect(r.failures).toEqual([]);
  });

  it("the guest holds at the final boundary: the primary's clock jumps by the pause, with no instruction run", () => {
    const g = new Group(program('counter.elf'), { ...base, failures: parseFailureSequence('event:40') });
    // The new primary's epoch ends, as its own clock and instret saw them when each epoch ended.
    const ends = new Map<number, { now: number; instret: number }>();
    const P = g.replicas[1]!.monitor;
    P.observe({
      onEpochEnd: (epoch, _reason, instret) => void (P.role === 'primary' && ends.set(epoch, { now: P.computer.now(), instret })),
    });
    const r = g.run();
    expect(r.stop).toBe('halt');
    const t = r.rebackups[0]!;
    expect(t.outcome).toBe('joined');
    expect(t.pauseNs).toBe(Math.ceil(t.pauseEpochs * 4096 * 10));
    expect(t.pauseNs).toBeGreaterThan(0);
    const a = ends.get(t.joinEpoch!)!;
    const b = ends.get(t.joinEpoch! + 1)!;
    // Time over the next epoch: its instructions' time, plus the pause (plus any idling at wfi).
    expect(b.now - a.now - (b.instret - a.instret) * 10).toBeGreaterThanOrEqual(t.pauseNs);
  });

  it('wire sizes: typed arrays by length, numbers as 8 bytes', () => {
    expect(wireBytes({ a: new Uint8Array(10), b: [1, 2], c: 'xyz', d: undefined })).toBe(10 + 16 + 3 + 1);
  });
});
