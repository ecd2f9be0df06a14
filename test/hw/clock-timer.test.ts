import { describe, expect, it } from 'vitest';
import { Clock, createClockState, NS_PER_INSTRUCTION } from '../../src/hw/clock.js';
import { createTimerState, Timer } from '../../src/hw/timer.js';
import { belowState, seedState } from '../../src/base/random.js';

describe('clock', () => {
  it('advances with retired instructions and idles forward, never backward', () => {
    let instret = 0;
    const clock = new Clock(createClockState(seedState(1)), () => instret);
    expect(clock.now()).toBe(0);
    instret = 100;
    expect(clock.now()).toBe(100 * NS_PER_INSTRUCTION);
    clock.advanceTo(5000);
    expect(clock.now()).toBe(5000);
    clock.advanceTo(10);
    expect(clock.now()).toBe(5000);
    instret = 110;
    expect(clock.now()).toBe(5100);
    clock.advanceTo(Infinity);
    expect(clock.now()).toBe(5100);
  });

  it('budgetUntil counts the instructions before a time', () => {
    let instret = 0;
    const clock = new Clock(createClockState(seedState(1)), () => instret);
    expect(clock.budgetUntil(95)).toBe(10);
    expect(clock.budgetUntil(100)).toBe(10);
    expect(clock.budgetUntil(0)).toBe(0);
    expect(clock.budgetUntil(Infinity)).toBe(Infinity);
    instret = 10;
    expect(clock.budgetUntil(100)).toBe(0);
  });

  it('reads carry seeded jitter, strictly increase, and differ between seeds', () => {
    let instret = 0;
    const a = new Clock(createClockState(seedState(1)), () => instret);
    const b = new Clock(createClockState(seedState(2)), () => instret);
    const ra: number[] = [];
    const rb: number[] = [];
    for (let i = 0; i < 50; i++) {
      ra.push(a.read());
      rb.push(b.read());
      instret += i % 3;
    }
    for (let i = 1; i < ra.length; i++) expect(ra[i]).toBeGreaterThan(ra[i - 1]!);
    expect(ra).not.toEqual(rb);
    expect(Math.max(...ra.map((v, i) => v - rb[i]!).map(Math.abs))).toBeLessThan(100);
  });

  it('a processor reset (instret going back) keeps time where it was', () => {
    let instret = 1000;
    const clock = new Clock(createClockState(seedState(1)), () => instret);
    const t = clock.now();
    instret = 0;
    expect(clock.now()).toBe(t);
    instret = 5;
    expect(clock.now()).toBe(t + 5 * NS_PER_INSTRUCTION);
  });
});

describe('timer', () => {
  it('is off until programmed; ticks every period after a seeded phase; coalesces missed ticks', () => {
    const t = new Timer(createTimerState(seedState(5)));
    expect(t.nextEventTime()).toBe(Infinity);
    expect(t.due(1e12)).toEqual([]);
    t.sync(10, 1000); // 10 µs
    const first = t.nextEventTime();
    expect(first).toBeGreaterThan(1000);
    expect(first).toBeLessThanOrEqual(11000);
    expect(t.due(first - 1)).toEqual([]);
    expect(t.due(first)).toEqual([{ class: 'timer' }]);
    expect(t.nextEventTime()).toBe(first + 10000);
    expect(t.due(first + 35000)).toEqual([{ class: 'timer' }]);
    expect(t.nextEventTime()).toBe(first + 40000);
    t.sync(10, 0); // unchanged period: nothing moves
    expect(t.nextEventTime()).toBe(first + 40000);
    t.sync(0, 50000);
    expect(t.nextEventTime()).toBe(Infinity);
  });

  it('the phase depends on the seed', () => {
    const phases = new Set<number>();
    for (let seed = 1; seed < 20; seed++) {
      const t = new Timer(createTimerState(seedState(seed)));
      t.sync(100, 0);
      phases.add(t.nextEventTime());
    }
    expect(phases.size).toBeGreaterThan(15);
  });

  it('takes any period the guest writes, up to 0xFFFFFFFF µs, and ticks once per period', () => {
    const t = new Timer(createTimerState(seedState(5)));
    t.sync(0xffffffff, 1000);
    const first = t.nextEventTime();
    const period = 0xffffffff * 1000;
    expect(first).toBeGreaterThan(1000);
    expect(first).toBeLessThanOrEqual(1000 + period);
    expect(t.due(first)).toEqual([{ class: 'timer' }]);
    expect(t.nextEventTime()).toBe(first + period);
  });

  it('a period up to 4294 µs (phase below 2^32 ns) draws its phase as before', () => {
    const t = new Timer(createTimerState(seedState(5)));
    t.sync(4294, 0);
    expect(t.nextEventTime()).toBe(1 + belowState(seedState(5), 4294 * 1000));
  });
});
