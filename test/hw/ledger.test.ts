import { describe, expect, it } from 'vitest';
import { CONDITIONAL_PRODUCER, Ledger, LEDGER_WINDOW } from '../../src/hw/ledger.js';
import { World } from '../../src/hw/world.js';
import { createDevicesState, Devices } from '../../src/hw/devices.js';
import { seedState } from '../../src/base/random.js';
import { DEVICE, IO_OP, RECORD_STATUS, type IoOp } from '../../src/hw/types.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

describe('the ledger (spec 10)', () => {
  it('plain appends are not idempotent: the same bytes twice are two entries', () => {
    const l = new Ledger();
    expect(l.append(bytes('pay 5'), 0, 0)).toEqual({ kind: 'appended', index: 0 });
    expect(l.append(bytes('pay 5'), 0, 0)).toEqual({ kind: 'appended', index: 1 });
    expect(l.length).toBe(2);
    expect(text(l.entry(1))).toBe('pay 5');
    expect(l.entry(2)).toBeUndefined();
    expect(l.entry(-1)).toBeUndefined();
  });

  it('entries are 1..4096 bytes', () => {
    const l = new Ledger();
    expect(l.append(new Uint8Array(0), 0, 0)).toEqual({ kind: 'refused', why: 'an entry is 1 to 4096 bytes, got 0' });
    expect(l.append(new Uint8Array(4097), 0, 0)).toEqual({ kind: 'refused', why: 'an entry is 1 to 4096 bytes, got 4097' });
    expect(l.append(new Uint8Array(4096), 0, 0)).toEqual({ kind: 'appended', index: 0 });
  });

  it('exactly-once: S + 1 appends, the last 8 are absorbed with their first index, anything else is refused', () => {
    const l = new Ledger();
    expect(l.append(bytes('a'), 7, 2)).toEqual({ kind: 'refused', why: 'producer 7: sequence 2 after 0' });
    expect(l.append(bytes('a'), 7, 0)).toEqual({ kind: 'refused', why: 'producer 7: sequence 0 after 0' });
    l.append(bytes('other'), 0, 0); // index 0, someone else's
    for (let n = 1; n <= 10; n++) expect(l.append(bytes(`e${n}`), 7, n)).toEqual({ kind: 'appended', index: n });
    expect(l.append(bytes('e10 again'), 7, 10)).toEqual({ kind: 'duplicate', index: 10 });
    expect(l.append(bytes('e3'), 7, 3)).toEqual({ kind: 'duplicate', index: 3 }); // 10 - 7: the oldest remembered
    expect(l.append(bytes('e2'), 7, 2)).toEqual({ kind: 'refused', why: 'producer 7: sequence 2 after 10' });
    expect(l.append(bytes('e12'), 7, 12)).toEqual({ kind: 'refused', why: 'producer 7: sequence 12 after 10' });
    expect(l.append(bytes('p9 first'), 9, 1)).toEqual({ kind: 'appended', index: 11 }); // producers are independent
    expect(l.length).toBe(12);
    expect(LEDGER_WINDOW).toBe(8);
  });

  it('conditional: appends only at the expected length; otherwise answers the length', () => {
    const l = new Ledger();
    expect(l.append(bytes('x'), CONDITIONAL_PRODUCER, 0)).toEqual({ kind: 'appended', index: 0 });
    expect(l.append(bytes('x'), CONDITIONAL_PRODUCER, 0)).toEqual({ kind: 'mismatch', length: 1 });
    expect(l.append(bytes('y'), CONDITIONAL_PRODUCER, 1)).toEqual({ kind: 'appended', index: 1 });
    expect(l.append(bytes('z'), CONDITIONAL_PRODUCER, 5)).toEqual({ kind: 'mismatch', length: 2 });
  });

  it('a snapshot shares the entries and restores both them and the windows', () => {
    const l = new Ledger();
    l.append(bytes('a'), 4, 1);
    const snap = l.snapshot();
    l.append(bytes('b'), 4, 2);
    l.restore(snap);
    expect(l.length).toBe(1);
    expect(l.append(bytes('b2'), 4, 2)).toEqual({ kind: 'appended', index: 1 });
    expect(l.append(bytes('a'), 4, 1)).toEqual({ kind: 'duplicate', index: 0 });
  });
});

describe('device 2 on the world', () => {
  let id = 1;
  const op = (o: Partial<IoOp> & { op: number }): IoOp => ({ opId: id++, device: DEVICE.LEDGER, tag: 0, addr: 0, len: 0, offset: 0, ...o });
  const run = (d: Devices, o: IoOp): ReturnType<Devices['due']>[number] => {
    d.start(o, 0);
    return d.due(Infinity)[0]!;
  };

  it('WRITE results are indices; READ gives an entry (up to len) and its length, or the ledger length with len 0', () => {
    const world = new World();
    const d = new Devices(createDevicesState(seedState(1)), world, 'primary');
    const w = (s: string, producer?: number, seq?: number): IoOp => op({ op: IO_OP.WRITE, len: s.length, data: bytes(s), producer, seq });
    expect(run(d, w('deposit 10'))).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 0 });
    expect(run(d, w('withdraw 3', 5, 1))).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 1 });
    expect(run(d, w('withdraw 3', 5, 1))).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 1 });
    expect(run(d, w('late', 5, 9))).toMatchObject({ status: RECORD_STATUS.ERROR, result: 0 });
    expect(run(d, w('cond', CONDITIONAL_PRODUCER, 1))).toMatchObject({ status: RECORD_STATUS.ERROR, result: 2 });
    expect(run(d, op({ op: IO_OP.READ, len: 0 }))).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 2 });
    const r = run(d, op({ op: IO_OP.READ, offset: 1, len: 4 }));
    expect(r).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 10 });
    expect(r.class === 'io' && text(r.data)).toBe('with');
    expect(run(d, op({ op: IO_OP.READ, offset: 2, len: 4 }))).toMatchObject({ status: RECORD_STATUS.ERROR });
    expect(world.effects.map((e) => [e.kind, e.offset, e.duplicate, e.error, e.mismatch ?? false])).toEqual([
      ['ledger-append', 0, false, false, false],
      ['ledger-append', 1, false, false, false],
      ['ledger-append', 1, true, false, false],
      ['ledger-append', -1, false, true, false],
      ['ledger-append', -1, false, false, true],
    ]);
    expect(world.duplicates).toBe(1);
  });

  it('the world snapshot carries the ledger', () => {
    const world = new World();
    world.ledgerAppend(bytes('a'), 0, 0, 'primary');
    const snap = world.snapshot();
    world.ledgerAppend(bytes('b'), 0, 0, 'primary');
    world.restore(snap);
    expect(world.ledgerLength).toBe(1);
    expect(world.effects).toHaveLength(1);
  });
});
