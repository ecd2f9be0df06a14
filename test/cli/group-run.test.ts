import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { programPath } from '../programs.js';

describe('shadowvm pair with a replica group', () => {
  it('--backups 2 and a failure list: the failures, the takeover, the survivors and the protection in --json', async () => {
    const r = await cli(
      'pair',
      programPath('counter.elf'),
      '--ram',
      '2',
      '--backups',
      '2',
      '--fail-at',
      'backup@event:30,event:60',
      '--json',
    );
    expect(r.code).toBe(47);
    const j = JSON.parse(r.out);
    expect(j.failures.map((f: { name: string; side: string; step: string }) => [f.name, f.side, f.step])).toEqual([
      ['backup', 'backup', 'backup@event:30'],
      ['primary', 'primary', 'event:60'],
    ]);
    expect(j.takeovers).toHaveLength(1);
    expect(j.unprotected).toBe(true);
    expect(j.backups).toBe(0);
    expect(j.replicas.filter((x: { alive: boolean }) => x.alive).map((x: { name: string; rank: number }) => [x.name, x.rank])).toEqual([
      ['backup2', 0],
    ]);
    expect(r.err).toBe('');
  });

  it('a failure list element that names a missing rank is reported on stderr, and the rest still happens', async () => {
    const r = await cli('pair', programPath('hello.s'), '--fail-at', '3@event:1,event:1000');
    expect(r.code).toBe(13);
    expect(r.err).toBe(
      'note: --fail-at 3@event:1: no replica of rank 3 when the point came; no failure was injected for it\n' +
        'note: --fail-at event:1000: not reached; no failure was injected for it\n',
    );
  });

  it('refuses a bad --backups or replica with the usage exit code', async () => {
    const bad = await cli('pair', programPath('hello.s'), '--backups', '0');
    expect(bad.code).toBe(64);
    expect(bad.err.split('\n')[0]).toBe("shadowvm pair: --backups: expected an integer from 1 to 8, got '0'");
    const big = await cli('pair', programPath('hello.s'), '--backups', '4', '--ram', '512');
    expect(big.code).toBe(64);
    expect(big.err.split('\n')[0]).toBe(
      "shadowvm pair: --backups 4 with --ram 512: the group's RAM (5 x 512 MiB) must be at most 2048 MiB",
    );
    const who = await cli('pair', programPath('hello.s'), '--fail-at', 'spare@event:1,event:2');
    expect(who.code).toBe(64);
    expect(who.err.split('\n')[0]).toBe(
      "shadowvm pair: bad replica 'spare' in 'spare@event:1': expected primary, backup, joining or a rank from 0 to 64",
    );
  });
});
