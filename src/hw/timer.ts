/**
 * The periodic timer behind CSR xtimer (period in virtual microseconds, 0 = off). When the guest programs
 * a new period the first tick comes after a seeded phase (1..period ns), then every period. Ticks that a
 * busy processor let pile up are coalesced into one interrupt (mip.MTIP is one bit anyway). Any period the
 * guest writes is valid: up to 0xFFFFFFFF µs (about 71 minutes of virtual time).
 */
import { belowStateWide } from '../base/random.js';
import type { HwInterrupt } from './types.js';

const TICK: HwInterrupt = Object.freeze({ class: 'timer' });

export interface TimerState {
  /** The period programmed, in µs (0 = off). */
  periodUs: number;
  /** Virtual time of the next tick, Infinity when off. */
  next: number;
  /** xorshift128 state of the phase stream. */
  rng: Uint32Array;
}

export function createTimerState(rng: Uint32Array): TimerState {
  return { periodUs: 0, next: Infinity, rng };
}

export class Timer {
  constructor(public state: TimerState) {}

  /** Follows the guest's xtimer: a changed period restarts the timer, with a fresh seeded phase, at `now`. */
  sync(periodUs: number, now: number): void {
    const s = this.state;
    const p = periodUs >>> 0;
    if (p === s.periodUs) return;
    s.periodUs = p;
    s.next = p === 0 ? Infinity : now + 1 + belowStateWide(s.rng, p * 1000);
  }

  nextEventTime(): number {
    return this.state.next;
  }

  /** The tick due at `now` (at most one), scheduling the next after it. */
  due(now: number): HwInterrupt[] {
    const s = this.state;
    if (s.next > now) return [];
    const period = s.periodUs * 1000;
    s.next += (Math.floor((now - s.next) / period) + 1) * period;
    return [TICK];
  }
}
