import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { programPath } from '../../programs.js';

describe('shadowvm fuzz-sequences', () => {
  it('fails primaries, backups and the joining replica, and says how many of each', async () => {
    const r = await cli('fuzz-sequences', programPath('counter.elf'), '--first', '1', '--ram', '2', '--backups', '2');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 5)).toEqual([
      '13 cases from 1 first failure points (159 events in the failure-free run)',
      'first failures: 1 of the primary, 1 of a backup',
      'second failures: 8 of the primary, 1 of a backup, 2 of the replica joining',
      "  2 right after the takeover, 1 right after a backup's loss, 2 before the transfer, 4 during it, 2 after the join",
      '13 survived, 0 lost with no backup left (not a violation), 0 violations',
    ]);
  }, 120_000);

  it('--replicas primary sweeps only primaries; a list without primary is refused', async () => {
    const r = await cli('fuzz-sequences', programPath('counter.elf'), '--first', '1', '--ram', '2', '--replicas', 'primary', '--json');
    const j = JSON.parse(r.out) as { firsts: Record<string, number>; seconds: Record<string, number> };
    expect([j.firsts, j.seconds]).toEqual([
      { primary: 1, backup: 0, joining: 0 },
      { primary: 4, backup: 0, joining: 0 },
    ]);
    const bad = await cli('fuzz-sequences', programPath('counter.elf'), '--replicas', 'backup,joining');
    expect([bad.code, bad.err.split('\n')[0]]).toEqual([
      64,
      "shadowvm fuzz-sequences: --replicas: expected a list of primary, backup and joining that names primary, got 'backup,joining'",
    ]);
  }, 120_000);
});
