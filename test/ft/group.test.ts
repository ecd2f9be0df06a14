import { describe, expect, it } from 'vitest';
import { Group, type GroupOptions } from '../../src/ft/group.js';
import { Pair } from '../../src/ft/pair.js';
import { parseFailureSequence } from '../../src/ft/failure-sequence.js';
import { program } from '../programs.js';

const COUNTER = 'counter.elf'; // 108k instructions, 160 events: a cheap guest with disk I/O
const base: GroupOptions = { seed: 11, ramMiB: 2, monitor: { checkDigests: true } };

function run(opts: GroupOptions) {
  const g = new Group(program(COUNTER), { ...base, ...opts });
  return { g, r: g.run() };
}

describe('replica groups', () => {
  const ref = new Pair(program(COUNTER), base);
  const refResult = ref.run();
  const refDisk = Buffer.from(ref.world.diskBytes());

  function expectSurvived(g: Group, r: ReturnType<Group['run']>) {
    expect(r.divergence).toBeUndefined();
    expect(r.stop).toBe('halt');
    expect(r.exitCode).toBe(refResult.exitCode);
    expect(r.console).toBe(refResult.console);
    expect(Buffer.from(g.world.diskBytes()).equals(refDisk)).toBe(true);
    const alive = r.replicas.filter((x) => x.alive);
    expect(new Set(alive.map((x) => x.digest)).size).toBe(1);
  }

  it('K = 1 with one failure of the primary is the pair, action for action', () => {
    const pair = new Pair(program(COUNTER), { ...base, failAt: { kind: 'event', n: 60 } });
    const p = pair.run();
    const { g, r } = run({ failures: parseFailureSequence('event:60') });
    expectSurvived(g, r);
    expect(r.instructions).toBe(p.instructions);
    expect(g.world.effects).toEqual(pair.world.effects);
    expect(r.takeover?.epoch).toBe(p.takeover?.epoch);
    expect(r.unprotected).toBe(true);
  });

  it('K = 3: no failure; every replica ends in the same state, as the pair does', () => {
    const { g, r } = run({ backups: 3 });
    expectSurvived(g, r);
    expect(r.replicas).toHaveLength(4);
    expect(r.backups).toBe(3);
    expect(r.unprotected).toBe(false);
    expect(r.instructions).toBe(refResult.instructions);
  });

  it('K = 2: the primary fails; rank 1 takes over and rank 2 follows it', () => {
    const { g, r } = run({ backups: 2, failures: parseFailureSequence('event:60') });
    expectSurvived(g, r);
    expect(r.takeovers).toHaveLength(1);
    expect(r.replicas.map((x) => [x.name, x.rank, x.role])).toEqual([
      ['primary', undefined, 'primary'],
      ['backup', 0, 'primary'],
      ['backup2', 1, 'backup'],
    ]);
    expect(r.unprotected).toBe(false);
  });

  it('K = 3: three failures of the primary in a row are survived without a rebackup', () => {
    const { g, r } = run({ backups: 3, failures: parseFailureSequence('event:20,event:60,event:100') });
    expectSurvived(g, r);
    expect(r.takeovers).toHaveLength(3);
    expect(r.failures.map((f) => [f.name, f.side])).toEqual([
      ['primary', 'primary'],
      ['backup', 'primary'],
      ['backup2', 'primary'],
    ]);
    expect(r.unprotected).toBe(true);
    expect(r.unprotectedEpochs).toBeGreaterThan(0);
  });

  it('K = 2: a backup fails, the others go on; then the primary fails and the last backup takes over', () => {
    const { g, r } = run({ backups: 2, failures: parseFailureSequence('backup@event:40,event:90') });
    expectSurvived(g, r);
    expect(r.failures.map((f) => [f.name, f.side, f.rank])).toEqual([
      ['backup', 'backup', 1],
      ['primary', 'primary', 0],
    ]);
    expect(r.replicas.find((x) => x.name === 'backup2')?.role).toBe('primary');
    expect(r.unprotected).toBe(true);
  });

  it('K = 1: with no backup left the primary runs on unprotected', () => {
    const { g, r } = run({ failures: parseFailureSequence('backup@event:30') });
    expectSurvived(g, r);
    expect(r.unprotected).toBe(true);
    expect(r.takeovers).toHaveLength(0);
    expect(r.unprotectedEpochs).toBeGreaterThan(0);
  });

  it('a failure of every replica ends the run as a fault; a rank that does not exist is reported, not injected', () => {
    const { r } = run({ failures: parseFailureSequence('7@event:10,event:40,event:80') });
    expect(r.stop).toBe('fault');
    expect(r.notInjected).toEqual(['7@event:10: no replica of rank 7 when the point came']);
  });
});
