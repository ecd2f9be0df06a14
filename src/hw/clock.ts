/**
 * One computer's clock, in virtual nanoseconds: it advances by NS_PER_INSTRUCTION for every instruction its
 * processor retires (derived from instret, so whoever runs the processor moves the clock), jumps forward
 * when the computer idles (`advanceTo`, for wfi), and reads (rdtime/rdcycle) with seeded jitter, never
 * going backwards. Two computers with different seeds read different values: that is the point.
 */
import { belowState } from '../base/random.js';

export const NS_PER_INSTRUCTION = 10;
/** Largest jitter added to a read, in ns. */
export const DEFAULT_JITTER_NS = 40;

export interface ClockState {
  /** Virtual time at `baseInstret`. */
  base: number;
  baseInstret: number;
  /** The last `now()` and the instret it saw: time stays there if the count goes back (a reset, a replaced state). */
  lastNow: number;
  lastInstret: number;
  /** Last value a read returned (reads are strictly increasing). */
  lastRead: number;
  jitterMax: number;
  /** xorshift128 state of the jitter stream. */
  rng: Uint32Array;
}

export function createClockState(rng: Uint32Array, jitterMax = DEFAULT_JITTER_NS): ClockState {
  return { base: 0, baseInstret: 0, lastNow: 0, lastInstret: 0, lastRead: -1, jitterMax, rng };
}

export class Clock {
  constructor(
    public state: ClockState,
    /** The processor's retired-instruction count. */
    private readonly instret: () => number,
  ) {}

  /** Virtual time now (no jitter). */
  now(): number {
    const s = this.state;
    const i = this.instret();
    if (i < s.lastInstret) {
      // The processor was reset or replaced: keep time where it was and count from here.
      s.base = s.lastNow;
      s.baseInstret = i;
    }
    const t = s.base + (i - s.baseInstret) * NS_PER_INSTRUCTION;
    s.lastNow = t;
    s.lastInstret = i;
    return t;
  }

  /** Lets time pass without instructions (an idle processor), up to `t`; never moves backwards. */
  advanceTo(t: number): void {
    if (!Number.isFinite(t)) return;
    const now = this.now();
    if (t > now) {
      this.state.base = t;
      this.state.baseInstret = this.state.lastInstret;
      this.state.lastNow = t;
    }
  }

  /** A guest-visible reading: now plus seeded jitter, strictly greater than any earlier reading. */
  read(): number {
    const s = this.state;
    const v = Math.max(s.lastRead + 1, this.now() + belowState(s.rng, s.jitterMax + 1));
    s.lastRead = v;
    return v;
  }

  /** Instructions to run before the clock reaches `t` (0 when it has; Infinity for t = Infinity). */
  budgetUntil(t: number): number {
    if (t === Infinity) return Infinity;
    const d = t - this.now();
    return d <= 0 ? 0 : Math.ceil(d / NS_PER_INSTRUCTION);
  }
}
