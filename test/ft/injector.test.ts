import { describe, expect, it } from 'vitest';
import { Pair, type PairOptions } from '../../src/ft/pair.js';
import type { FailurePoint } from '../../src/ft/failure-point.js';
import type { PrimaryToBackup } from '../../src/channel/protocol.js';
import { program } from '../programs.js';

const JOURNAL = 'journal.elf';
const base: PairOptions = { seed: 11, monitor: { checkDigests: true, epochLength: 1000 } };

/** A pair failing its primary at `point`, with what the primary did before it stopped. */
function failing(point: FailurePoint) {
  const pair = new Pair(program(JOURNAL), { ...base, failAt: point });
  const sent: PrimaryToBackup[] = [];
  let events = 0;
  pair.primary.observe({ onSent: (m) => sent.push(m), onEvent: () => events++ });
  const result = pair.run();
  return { pair, result, sent, events };
}

describe('the failure injector', () => {
  it('event:N stops the computer right after its Nth externally visible action', () => {
    for (const n of [1, 7, 40]) {
      const { pair, result, events } = failing({ kind: 'event', n });
      expect(events, `event:${n}`).toBe(n);
      expect(pair.failure).toMatchObject({ side: 'primary', events: n });
      expect(pair.primary.stopped).toBe(true);
      expect(result.failedOver).toBe(true);
    }
  });

  it('event:0 stops it before its first action and instruction', () => {
    const { pair, events } = failing({ kind: 'event', n: 0 });
    expect(events).toBe(0);
    expect(pair.failure).toMatchObject({ events: 0, instret: 0, epoch: 1 });
  });

  it('epoch:N stops it right after it sent the epoch-end message of epoch N: nothing follows that message', () => {
    const { pair, sent } = failing({ kind: 'epoch', n: 3 });
    const last = sent[sent.length - 1]!;
    expect(last).toMatchObject({ kind: 'epoch-end', epoch: 3 });
    expect(pair.failure!.epoch).toBe(4);
  });

  it('an instruction count stops it between two instructions, exactly there', () => {
    for (const n of [1, 999, 1000, 1001, 123_457]) {
      const { pair } = failing({ kind: 'instruction', n });
      expect(pair.failure!.instret, `instruction ${n}`).toBe(n);
      expect(pair.primary.computer.cpu.state.instret).toBe(n);
    }
  });

  it('a point beyond the end of the run is never reached: the pair runs as without a failure', () => {
    const whole = new Pair(program(JOURNAL), base).run();
    const { pair, result } = failing({ kind: 'event', n: 1_000_000 });
    expect(pair.failure).toBeUndefined();
    expect(pair.primary.stopped).toBe(false);
    expect(JSON.stringify(result)).toBe(JSON.stringify(whole));
  });

  it('a monitor restored from a snapshot taken after its event point stops at once', () => {
    const pair = new Pair(program(JOURNAL), base);
    for (let i = 0; i < 40; i++) pair.turn();
    const at = pair.primary.state.events;
    expect(at).toBeGreaterThan(5);
    const restored = new Pair(undefined, { ...base, failAt: { kind: 'event', n: 5 } }, pair.snapshot());
    expect(restored.primary.stopped).toBe(true);
    restored.run();
    expect(restored.failure).toMatchObject({ side: 'primary', events: at });
  });

  it('fails the backup instead with failBackupAt; the primary then carries on alone and sends nothing more', () => {
    const pair = new Pair(program(JOURNAL), { ...base, failBackupAt: { kind: 'instruction', n: 200_000 } });
    let afterFailure = 0;
    pair.primary.observe({ onSent: () => void (pair.backupFailed && afterFailure++) });
    const r = pair.run();
    expect(r.failedSide).toBe('backup');
    expect(pair.failure).toMatchObject({ side: 'backup', instret: 200_000 });
    expect(afterFailure).toBe(0);
    expect(r.stop).toBe('halt');
  });
});
