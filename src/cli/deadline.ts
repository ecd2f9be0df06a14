/**
 * The wall-clock `--timeout SEC` of `run`, `pair`, `demo` and `step`. The run loops look at the clock only
 * every CLOCK_CHECK_INSTRUCTIONS instructions, so a timeout costs nothing measurable; it ends a run at
 * the first check after SEC seconds (a few milliseconds late at most at the emulator's speed).
 */
import { performance } from 'node:perf_hooks';
import { ShadowError } from '../base/errors.js';
import type { OptionSpec, ParsedArgs } from './command.js';
import { stringOpt } from './args.js';

/** Instructions between two looks at the clock. */
export const CLOCK_CHECK_INSTRUCTIONS = 1 << 22;

export const TIMEOUT_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'SEC',
  description: 'stop after SEC seconds of wall-clock time, exit 69 (default: no timeout; the instruction budget bounds every run)',
};

/** `--timeout SEC`: a number of seconds > 0 (decimals allowed), at most a million. */
export function timeoutOpt(args: ParsedArgs): number | undefined {
  const v = stringOpt(args, 'timeout');
  if (v === undefined) return undefined;
  const n = /^\d*\.?\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!(n > 0 && n <= 1_000_000)) throw new ShadowError('USAGE', `--timeout: expected a number of seconds greater than 0, got '${v}'`);
  return n;
}

export class Deadline {
  private readonly start: number;

  /** `seconds` undefined: never expires. `now` is the clock in milliseconds (a test passes its own). */
  constructor(
    readonly seconds: number | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = now();
  }

  get expired(): boolean {
    return this.seconds !== undefined && this.now() - this.start >= this.seconds * 1000;
  }

  /** Seconds since the deadline was set. */
  elapsed(): number {
    return (this.now() - this.start) / 1000;
  }
}
