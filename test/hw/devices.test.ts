import { describe, expect, it } from 'vitest';
import { World } from '../../src/hw/world.js';
import { createDevicesState, Devices, LATENCY_NS } from '../../src/hw/devices.js';
import { seedState } from '../../src/base/random.js';
import { DEVICE, IO_OP, RECORD_STATUS, type IoOp } from '../../src/hw/types.js';

let nextId = 1;
function op(o: Partial<IoOp> & { op: number }): IoOp {
  return { opId: nextId++, device: DEVICE.CONSOLE, tag: 0, addr: 0, len: 0, offset: 0, ...o };
}
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function devices(world = new World({ input: 'typed input', diskBytes: 4096 }), seed = 1): Devices {
  return new Devices(createDevicesState(seedState(seed)), world, 'primary');
}

/** Runs every in-flight operation to completion. */
function drain(d: Devices): ReturnType<Devices['due']> {
  return d.due(Infinity);
}

describe('devices', () => {
  it("complete after a seeded latency in each device's range", () => {
    const d = devices();
    expect(d.nextEventTime()).toBe(Infinity);
    const c = op({ op: IO_OP.CONNECT });
    d.start(c, 1000);
    const t = d.nextEventTime();
    const [lo, hi] = LATENCY_NS[DEVICE.CONSOLE]!;
    expect(t).toBeGreaterThanOrEqual(1000 + lo);
    expect(t).toBeLessThanOrEqual(1000 + hi);
    expect(d.due(t - 1)).toEqual([]);
    expect(d.inFlight()).toEqual([c]);
    expect(d.due(t)).toEqual([{ class: 'io', opId: c.opId, device: 0, tag: 0, status: RECORD_STATUS.COMPLETED, result: 0 }]);
    expect(d.inFlight()).toEqual([]);
  });

  it('complete out of order: a later console operation before an earlier disk one; different seeds, different times', () => {
    const d = devices();
    const disk = op({ op: IO_OP.READ, device: DEVICE.DISK, len: 512 });
    const con = op({ op: IO_OP.READ, len: 4 });
    d.start(disk, 0);
    d.start(con, 0);
    expect(drain(d).map((i) => (i.class === 'io' ? i.opId : -1))).toEqual([con.opId, disk.opId]);
    const times = new Set<number>();
    for (let seed = 1; seed <= 10; seed++) {
      const e = devices(undefined, seed);
      e.start(op({ op: IO_OP.CONNECT }), 0);
      times.add(e.nextEventTime());
    }
    expect(times.size).toBeGreaterThan(5);
  });

  it('console READ by stream offset: fewer bytes at the end, none past it', () => {
    const d = devices();
    d.start(op({ op: IO_OP.READ, offset: 6, len: 100, tag: 3 }), 0);
    d.start(op({ op: IO_OP.READ, offset: 11, len: 4 }), 0);
    const [a, b] = drain(d).sort((x, y) => (x.class === 'io' && y.class === 'io' ? x.opId - y.opId : 0));
    expect(a).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 5, tag: 3, data: text('input') });
    expect(b).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 0, data: new Uint8Array(0) });
  });

  it('console WRITE is performed at completion, positionally; a duplicate completes, a conflict is an ERROR', () => {
    const world = new World();
    const d = devices(world);
    d.start(op({ op: IO_OP.WRITE, offset: 0, len: 3, data: text('abc') }), 0);
    expect(world.consoleText()).toBe('');
    expect(drain(d)[0]).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 3 });
    expect(world.consoleText()).toBe('abc');
    d.start(op({ op: IO_OP.WRITE, offset: 0, len: 3, data: text('abc') }), 0);
    d.start(op({ op: IO_OP.WRITE, offset: 1, len: 1, data: text('X') }), 0);
    d.start(op({ op: IO_OP.WRITE, offset: 9, len: 1, data: text('Y') }), 0);
    expect(
      drain(d)
        .map((i) => (i.class === 'io' ? i.status : -1))
        .sort(),
    ).toEqual([RECORD_STATUS.COMPLETED, RECORD_STATUS.ERROR, RECORD_STATUS.ERROR]);
    expect(world.consoleText()).toBe('abc');
    expect(world.duplicates).toBe(1);
    expect(world.effects.map((e) => e.by)).toEqual(['primary', 'primary', 'primary', 'primary']);
  });

  it('disk: sectors written and read back; past the end is an ERROR', () => {
    const world = new World({ diskBytes: 2048 });
    const d = devices(world);
    const data = new Uint8Array(1024).map((_, i) => i & 255);
    d.start(op({ op: IO_OP.WRITE, device: DEVICE.DISK, offset: 512, len: 1024, data }), 0);
    drain(d);
    d.start(op({ op: IO_OP.READ, device: DEVICE.DISK, offset: 1024, len: 512 }), 0);
    d.start(op({ op: IO_OP.READ, device: DEVICE.DISK, offset: 1536, len: 1024 }), 0);
    d.start(op({ op: IO_OP.WRITE, device: DEVICE.DISK, offset: 2048, len: 512, data: new Uint8Array(512) }), 0);
    const out = drain(d).sort((x, y) => (x.class === 'io' && y.class === 'io' ? x.opId - y.opId : 0));
    expect(out[0]).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 512, data: data.subarray(512) });
    expect(out[1]).toMatchObject({ status: RECORD_STATUS.ERROR, result: 0 });
    expect(out[2]).toMatchObject({ status: RECORD_STATUS.ERROR, result: 0 });
  });

  it('abandon: each in-flight operation is performed or not as decided, and none completes', () => {
    const world = new World();
    const d = devices(world);
    const keep = op({ op: IO_OP.WRITE, offset: 0, len: 2, data: text('ok') });
    const lose = op({ op: IO_OP.WRITE, offset: 2, len: 2, data: text('no') });
    d.start(keep, 0);
    d.start(lose, 0);
    const asked: number[] = [];
    d.abandon((o) => {
      asked.push(o.opId);
      return o.opId === keep.opId;
    });
    expect(asked.sort()).toEqual([keep.opId, lose.opId].sort());
    expect(world.consoleText()).toBe('ok');
    expect(d.inFlight()).toEqual([]);
    expect(d.nextEventTime()).toBe(Infinity);
    expect(drain(d)).toEqual([]);
  });
});
