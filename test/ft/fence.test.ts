import { describe, expect, it } from 'vitest';
import { Group } from '../../src/ft/group.js';
import { Pair } from '../../src/ft/pair.js';
import { parseFailureSequence } from '../../src/ft/failure-sequence.js';
import { program } from '../programs.js';

const COUNTER = 'counter.elf'; // 108k instructions, 160 events: a cheap guest with disk I/O
const base = { seed: 11, ramMiB: 2, monitor: { checkDigests: true } };
const grants = (w: { effects: readonly { by: string; kind: string; grant?: object }[] }) =>
  w.effects.filter((e) => e.kind === 'grant').map((e) => ({ by: e.by, ...e.grant }));

describe('every takeover, and a primary going on alone, asks the arbiter first (spec 9)', () => {
  it("a pair's ordinary takeover after a fail-stop: the backup asks, wins incarnation 2, and the grant is in the log", () => {
    const pair = new Pair(program(COUNTER), { ...base, failAt: { kind: 'event', n: 60 } });
    const r = pair.run();
    expect(r).toMatchObject({ stop: 'halt', failedOver: true });
    expect(grants(pair.world)).toEqual([{ by: 'backup', expected: 1, won: true, incarnation: 2, why: 'takeover' }]);
    expect(pair.backup.computer.devices.state.incarnation).toBe(2);
    // The grant comes before every effect of the new primary.
    const at = pair.world.effects.findIndex((e) => e.kind === 'grant');
    expect(pair.world.effects.slice(0, at).every((e) => e.by === 'primary')).toBe(true);
  });

  it('a backup that loses the arbiter stops itself instead of taking over', () => {
    const pair = new Pair(program(COUNTER), { ...base, failAt: { kind: 'event', n: 60 } });
    pair.arbiter.testAndSet('primary', 1, 'go-on-alone'); // someone took incarnation 2 before the backup asked
    const r = pair.run();
    expect(r.failedOver).toBe(false);
    expect(pair.backupFailed).toBe(true);
    expect(grants(pair.world).at(-1)).toEqual({ by: 'backup', expected: 1, won: false, incarnation: 2, why: 'takeover' });
    expect(pair.world.effects.some((e) => e.by === 'backup' && e.kind !== 'grant')).toBe(false);
  });

  it('a primary whose backup failed asks before it goes on alone', () => {
    const pair = new Pair(program(COUNTER), { ...base, failBackupAt: { kind: 'instruction', n: 50_000 } });
    expect(pair.run()).toMatchObject({ stop: 'halt', failedOver: false });
    expect(grants(pair.world)).toEqual([{ by: 'primary', expected: 1, won: true, incarnation: 2, why: 'go-on-alone' }]);
  });

  it("a group's takeover by the lowest surviving rank asks first, each with the last incarnation granted", () => {
    const g = new Group(program(COUNTER), { ...base, backups: 2, failures: parseFailureSequence('event:40,event:100') });
    expect(g.run()).toMatchObject({ stop: 'halt' });
    expect(grants(g.world)).toEqual([
      { by: 'backup', expected: 1, won: true, incarnation: 2, why: 'takeover' },
      { by: 'backup2', expected: 2, won: true, incarnation: 3, why: 'takeover' },
    ]);
    expect(g.arbiter.holder).toBe('backup2');
  });

  it('a group primary left without backups asks before it goes on alone', () => {
    const g = new Group(program(COUNTER), { ...base, backups: 1, failures: parseFailureSequence('backup@event:40') });
    expect(g.run()).toMatchObject({ stop: 'halt' });
    expect(grants(g.world)).toEqual([{ by: 'primary', expected: 1, won: true, incarnation: 2, why: 'go-on-alone' }]);
  });
});
