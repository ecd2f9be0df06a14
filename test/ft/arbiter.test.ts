import { describe, expect, it } from 'vitest';
import { Arbiter, FIRST_INCARNATION } from '../../src/ft/arbiter.js';
import { World } from '../../src/hw/world.js';
import { createDevicesState, Devices } from '../../src/hw/devices.js';
import { seedState } from '../../src/base/random.js';
import { DEVICE, IO_OP, RECORD_STATUS, REFUSED_RESULT } from '../../src/hw/types.js';

const write = (opId: number) => ({
  opId,
  op: IO_OP.WRITE,
  device: DEVICE.LEDGER,
  tag: 7,
  addr: 0,
  len: 1,
  offset: 0,
  data: new Uint8Array([9]),
});

describe('the arbiter (spec 9)', () => {
  it('an atomic test-and-set: the first asker wins the next incarnation, the second loses', () => {
    const world = new World();
    const a = new Arbiter(world);
    expect(a.incarnation).toBe(FIRST_INCARNATION);
    expect(a.testAndSet('backup', 1, 'takeover')).toEqual({
      asker: 'backup',
      expected: 1,
      won: true,
      incarnation: 2,
      worldEffects: 0,
      why: 'takeover',
    });
    expect(a.testAndSet('primary', 1, 'go-on-alone')).toMatchObject({ won: false, incarnation: 2 });
    expect(a.holder).toBe('backup');
    expect(world.incarnation).toBe(2);
    expect(new Arbiter(world, true, a.state()).decisions).toHaveLength(2);
    // Every answer is in the world's log too, won or lost, with the incarnation it answered with.
    expect(world.effects.map((e) => [e.by, e.kind, e.offset, e.grant])).toEqual([
      ['backup', 'grant', 2, { expected: 1, won: true, incarnation: 2, why: 'takeover' }],
      ['primary', 'grant', 2, { expected: 1, won: false, incarnation: 2, why: 'go-on-alone' }],
    ]);
  });

  it("the devices refuse an older incarnation's requests, in flight ones too: not performed, ERROR 0xFFFFFFFF, recorded", () => {
    const world = new World();
    const old = new Devices(createDevicesState(seedState(1)), world, 'primary');
    const winner = new Devices(createDevicesState(seedState(2)), world, 'backup');
    old.promote(1);
    old.start(write(1), 0);
    const d = new Arbiter(world).testAndSet('backup', 1, 'takeover');
    winner.promote(d.incarnation);
    winner.start(write(2), 0);
    expect(old.due(Infinity)).toEqual([
      { class: 'io', opId: 1, device: DEVICE.LEDGER, tag: 7, status: RECORD_STATUS.ERROR, result: REFUSED_RESULT },
    ]);
    expect(old.state.deposed).toBe(true);
    expect(winner.due(Infinity)[0]).toMatchObject({ status: RECORD_STATUS.COMPLETED, result: 0 });
    expect(world.ledgerLength).toBe(1);
    expect(world.effects.map((e) => [e.by, e.kind, e.refused])).toEqual([
      ['backup', 'grant', undefined],
      ['primary', 'refused', { device: DEVICE.LEDGER, op: IO_OP.WRITE, incarnation: 1 }],
      ['backup', 'ledger-append', undefined],
    ]);
  });

  it('without fencing (the no-fencing flaw) the winner is numbered but the devices are not told', () => {
    const world = new World();
    const old = new Devices(createDevicesState(seedState(1)), world, 'primary');
    old.promote(1);
    expect(new Arbiter(world, false).testAndSet('backup', 1, 'takeover').won).toBe(true);
    old.start(write(1), 0);
    expect(old.due(Infinity)[0]).toMatchObject({ status: RECORD_STATUS.COMPLETED });
    expect(world.incarnation).toBe(0);
  });
});
