import { describe, expect, it } from 'vitest';
import { sweepFailureSequences } from '../../src/fuzz/sequences.js';
import { program } from '../programs.js';
import { Group } from '../../src/ft/group.js';
import { parseFailureSequence } from '../../src/ft/failure-sequence.js';

describe('failure-sequence sweep', () => {
  it('journal.elf, K = 2: a first failure, then a second right after the takeover, before, during and after the rebackup', () => {
    const r = sweepFailureSequences(program('journal.elf'), {
      seed: 11,
      ramMiB: 2,
      backups: 2,
      rebackupAfter: 2,
      transferBytesPerEpoch: 16384,
      firstPoints: [250],
      programName: 'journal.elf',
      replicas: ['primary'],
    });
    expect(r.violations).toEqual([]);
    expect(r.lost).toBe(0);
    expect(r.windows).toEqual({
      none: 1,
      'after-loss': 0,
      'after-takeover': 1,
      'before-transfer': 1,
      'during-transfer': 1,
      'after-join': 1,
    });
    expect(r.cases.map((c) => c.failures)).toContain('event:250,event:251');
    expect(r.cases[1]!.replay).toBe(
      'shadowvm pair journal.elf --check-digests --backups 2 --rebackup-after 2 --seed 11 --ram 2 --fail-at event:250,event:251',
    );
  }, 60_000);

  it('journal.elf, K = 2: backups and the joining replica fail too, first and second, and every oracle holds', () => {
    const r = sweepFailureSequences(program('journal.elf'), {
      seed: 11,
      ramMiB: 2,
      backups: 2,
      rebackupAfter: 2,
      transferBytesPerEpoch: 16384,
      firstPoints: [250],
      programName: 'journal.elf',
    });
    expect(r.violations).toEqual([]);
    expect(r.lost).toBe(0);
    expect(r.firsts).toEqual({ primary: 1, backup: 1, joining: 0 });
    expect(r.seconds).toEqual({ primary: 8, backup: 1, joining: 2 });
    const failures = r.cases.map((c) => c.failures);
    expect(failures).toContain('backup@event:250');
    expect(failures).toContain('event:250,backup@event:251');
    expect(failures).toContain('backup@event:250,event:251');
    const joining = r.cases.filter((c) => c.replicas[1] === 'joining');
    expect(joining.map((c) => c.window)).toEqual(['during-transfer', 'during-transfer']);
    expect(joining[0]!.replay).toMatch(/^shadowvm pair journal\.elf .* --fail-at event:250,joining@event:\d+$/);
    expect(r.cases.every((c) => c.verdict === 'ok')).toBe(true);
    // The joining failure did happen: its transfer was abandoned, and another joined in its place.
    const again = new Group(program('journal.elf'), {
      seed: 11,
      ramMiB: 2,
      backups: 2,
      rebackupAfter: 2,
      transferBytesPerEpoch: 16384,
      failures: parseFailureSequence(joining[0]!.failures),
    }).run();
    expect(again.notInjected).toEqual([]);
    expect(again.rebackups.map((t) => [t.outcome, t.abortReason])).toEqual([
      ['aborted', 'the joining replica failed'],
      ['joined', undefined],
    ]);
  }, 60_000);

  it('K = 1: a second failure before the rebackup joined finds no backup: the group is lost, which is not a violation', () => {
    const r = sweepFailureSequences(program('counter.elf'), { seed: 3, ramMiB: 2, backups: 1, rebackupAfter: 2, firstPoints: [40] });
    const after = r.cases.find((c) => c.window === 'after-takeover')!;
    expect(after.verdict).toBe('lost');
    expect(r.cases.find((c) => c.window === 'after-join')?.verdict).toBe('ok');
    expect(r.violations).toEqual([]);
  }, 60_000);
});
