import { describe, expect, it } from 'vitest';
import { Pair, type PairOptions } from '../../src/ft/pair.js';
import { IO_OP, DEVICE } from '../../src/hw/types.js';
import type { EventKind } from '../../src/vmm/state.js';
import { program } from '../programs.js';

const JOURNAL = 'journal.elf';
const base: PairOptions = { seed: 11, monitor: { checkDigests: true } };

function reference(name = JOURNAL) {
  const pair = new Pair(program(name), base);
  const result = pair.run();
  return { pair, result, disk: Buffer.from(pair.world.diskBytes()) };
}

/** The first primary event (1-based count) after which `when` holds. */
function findEvent(when: (pair: Pair, kind: EventKind) => boolean, name = JOURNAL, from = 0): number {
  const pair = new Pair(program(name), base);
  let found: number | undefined;
  pair.primary.observe({
    onEvent: (kind) => {
      if (found === undefined && pair.primary.state.events > from && when(pair, kind)) found = pair.primary.state.events;
    },
  });
  pair.run();
  if (found === undefined) throw new Error('no such event');
  return found;
}

function expectSameOutcome(pair: Pair, r: ReturnType<Pair['run']>, ref: ReturnType<typeof reference>) {
  expect(r.stop).toBe('halt');
  expect(r.diverged).toBe(false);
  expect(r.exitCode).toBe(ref.result.exitCode);
  expect(r.console).toBe(ref.result.console);
  expect(Buffer.from(pair.world.diskBytes()).equals(ref.disk)).toBe(true);
  expect(pair.world.effects.filter((e) => e.error)).toEqual([]);
}

describe('failover', () => {
  const ref = reference();

  it('a failure in the middle of an outstanding disk write: performed or not, the outcome is the same', () => {
    const n = findEvent(
      (p) => p.primary.computer.devices.inFlight().some((op) => op.device === DEVICE.DISK && op.op === IO_OP.WRITE),
      JOURNAL,
      40,
    );
    for (const performed of [true, false]) {
      const pair = new Pair(program(JOURNAL), { ...base, failAt: { kind: 'event', n }, performOutstanding: () => performed });
      const r = pair.run();
      expectSameOutcome(pair, r, ref);
      expect(r.failedOver).toBe(true);
      expect(pair.failure!.inFlight).toBeGreaterThan(0);
      expect(r.takeover!.disconnected).toContain(DEVICE.DISK);
      expect(r.takeover!.reissued).toBeGreaterThan(0);
      if (performed) expect(pair.world.duplicates).toBeGreaterThan(0);
    }
  });

  it('a failure between an I/O and the message that reports it: the world saw it, the backup did not', () => {
    const n = findEvent((_, kind) => kind === 'completion-received', JOURNAL, 60);
    const pair = new Pair(program(JOURNAL), { ...base, failAt: { kind: 'event', n } });
    const r = pair.run();
    expectSameOutcome(pair, r, ref);
    expect(r.takeover!.deletedCompletions + r.takeover!.outstanding).toBeGreaterThan(0);
    expect(pair.world.duplicates).toBeGreaterThan(0);
    expect(pair.world.effects.slice(r.takeover!.worldEffectsBefore).every((e) => e.by === 'backup')).toBe(true);
  });

  it('a failure right after an epoch-end message: the backup finishes that epoch and takes over at its end', () => {
    const epochs = ref.result.epochs;
    const N = Math.floor(epochs / 2);
    const pair = new Pair(program(JOURNAL), { ...base, failAt: { kind: 'epoch', n: N } });
    const r = pair.run();
    expectSameOutcome(pair, r, ref);
    expect(r.takeover!.epoch).toBe(N + 1);
    expect(pair.backup.state.endedThrough).toBe(N);
  });

  it('the fault monitor tells the backup only after every message sent before the failure has arrived', () => {
    const pair = new Pair(program(JOURNAL), { ...base, backupPace: 0.05, channelCapacity: 500, failAt: { kind: 'event', n: 200 } });
    const r = pair.run();
    expectSameOutcome(pair, r, ref);
    expect(pair.backup.state.counters.messagesReceived).toBe(pair.primary.state.counters.messagesSent);
  });

  it('a failure of the backup instead: the primary carries on alone', () => {
    const pair = new Pair(program(JOURNAL), { ...base, failBackupAt: { kind: 'instruction', n: 300_000 } });
    const r = pair.run();
    expectSameOutcome(pair, r, ref);
    expect(r.failedSide).toBe('backup');
    expect(r.failedOver).toBe(false);
    expect(pair.world.duplicates).toBe(0);
  });

  it('a failure before the first action: the backup runs the whole program itself', () => {
    const pair = new Pair(program(JOURNAL), { ...base, failAt: { kind: 'event', n: 0 } });
    const r = pair.run();
    expectSameOutcome(pair, r, ref);
    expect(r.takeover!.epoch).toBe(1);
    expect(pair.world.effects.every((e) => e.by === 'backup')).toBe(true);
  });
});

describe('snapshots', () => {
  it('restoring a snapshot and running on gives the same run, bit for bit', () => {
    const opts: PairOptions = { seed: 5, monitor: { checkDigests: true, epochLength: 1000 }, backupPace: 0.3, channelCapacity: 50 };
    const whole = new Pair(program(JOURNAL), opts).run();
    const pair = new Pair(program(JOURNAL), opts);
    for (let i = 0; i < 120; i++) pair.turn();
    const snap = pair.snapshot();
    expect(JSON.stringify(new Pair(undefined, opts, snap).run())).toBe(JSON.stringify(whole));
    expect(JSON.stringify(pair.run())).toBe(JSON.stringify(whole));
    const failing = { ...opts, failAt: { kind: 'event' as const, n: 250 } };
    expect(JSON.stringify(new Pair(undefined, failing, snap).run())).toBe(JSON.stringify(new Pair(program(JOURNAL), failing).run()));
  });
});
