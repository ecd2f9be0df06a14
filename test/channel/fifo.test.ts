/** The bounded FIFO between the monitors: order, capacity, refusal when full, copies that share nothing. */
import { describe, expect, it } from 'vitest';
import { FifoChannel } from '../../src/channel/fifo.js';

function filled(capacity: number, items: number[]): FifoChannel<number> {
  const ch = new FifoChannel<number>(capacity);
  for (const i of items) expect(ch.trySend(i)).toBe(true);
  return ch;
}

describe('FifoChannel', () => {
  it('needs a positive integer capacity', () => {
    for (const bad of [0, -1, 1.5, NaN]) {
      expect(() => new FifoChannel(bad)).toThrow(new RangeError(`channel capacity must be a positive integer, got ${bad}`));
    }
    expect(new FifoChannel(1).capacity).toBe(1);
  });

  it('delivers in the order sent, and nothing when empty', () => {
    const ch = filled(10, [1, 2, 3]);
    expect(ch.size).toBe(3);
    expect(ch.peek()).toBe(1);
    expect(ch.peek()).toBe(1);
    expect([ch.receive(), ch.receive()]).toEqual([1, 2]);
    ch.trySend(4);
    expect([ch.receive(), ch.receive(), ch.receive()]).toEqual([3, 4, undefined]);
    expect(ch.peek()).toBeUndefined();
    expect(ch.size).toBe(0);
  });

  it('refuses a message when full and keeps what it holds; room comes back with a receive', () => {
    const ch = filled(2, [1, 2]);
    expect(ch.full).toBe(true);
    expect(ch.trySend(3)).toBe(false);
    expect(ch.sent).toBe(2);
    expect(ch.contents()).toEqual([1, 2]);
    expect(ch.receive()).toBe(1);
    expect(ch.full).toBe(false);
    expect(ch.trySend(3)).toBe(true);
    expect(ch.contents()).toEqual([2, 3]);
    expect(ch.sent).toBe(3);
  });

  it('counts every accepted message and the most ever held', () => {
    const ch = filled(5, [1, 2, 3]);
    ch.receive();
    ch.receive();
    ch.trySend(4);
    expect(ch.sent).toBe(4);
    expect(ch.highWater).toBe(3);
    expect(ch.size).toBe(2);
  });

  it('keeps its order over many sends and receives (across its internal compaction)', () => {
    const ch = new FifoChannel<number>(50);
    const got: number[] = [];
    let next = 0;
    for (let round = 0; round < 300; round++) {
      for (let k = 0; k < 7; k++) if (ch.trySend(next)) next++;
      for (let k = 0; k < 6; k++) {
        const m = ch.receive();
        if (m !== undefined) got.push(m);
      }
    }
    for (let m = ch.receive(); m !== undefined; m = ch.receive()) got.push(m);
    expect(next).toBeGreaterThan(1500);
    expect(got).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('contents() is a copy, oldest first', () => {
    const ch = filled(4, [1, 2, 3]);
    ch.receive();
    const c = ch.contents() as number[];
    expect(c).toEqual([2, 3]);
    c.push(99);
    c[0] = -1;
    expect(ch.contents()).toEqual([2, 3]);
  });

  it('a clone has the same contents and counters, and shares nothing with the original', () => {
    const ch = filled(3, [1, 2, 3]);
    ch.receive();
    const copy = ch.clone();
    expect(copy.capacity).toBe(3);
    expect(copy.contents()).toEqual([2, 3]);
    expect(copy.sent).toBe(3);
    expect(copy.highWater).toBe(3);
    ch.trySend(4);
    expect(ch.receive()).toBe(2);
    expect(copy.contents()).toEqual([2, 3]);
    expect(copy.receive()).toBe(2);
    expect(copy.receive()).toBe(3);
    expect(copy.receive()).toBeUndefined();
    expect(ch.contents()).toEqual([3, 4]);
    expect(copy.sent).toBe(3);
    expect(ch.sent).toBe(4);
  });
});
