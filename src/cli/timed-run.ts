/**
 * The CLI's run loops with a wall-clock deadline: a bare computer and a pair, run as `runBare` and
 * `Pair.run` do, with a look at the clock every CLOCK_CHECK_INSTRUCTIONS instructions. Without a timeout
 * they are exactly `runBare` and `Pair.run`.
 */
import { runBare, type BareResult } from '../hw/bare.js';
import type { ExitBudget } from '../hw/engine.js';
import type { Computer } from '../hw/computer.js';
import type { Pair, PairResult } from '../ft/pair.js';
import { CLOCK_CHECK_INSTRUCTIONS, type Deadline } from './deadline.js';

export interface TimedBareResult {
  readonly result: BareResult;
  readonly timedOut: boolean;
}

/**
 * Runs `computer` until it halts, faults, deadlocks, retires `maxInstructions`, uses up `exits` (when
 * given), or `deadline` passes.
 */
export function runBareTimed(
  computer: Computer,
  maxInstructions: number,
  deadline: Deadline,
  check = CLOCK_CHECK_INSTRUCTIONS,
  exits?: ExitBudget,
): TimedBareResult {
  if (deadline.seconds === undefined) return { result: runBare(computer, { maxInstructions, exits }), timedOut: false };
  let total = 0;
  for (;;) {
    const r = runBare(computer, { maxInstructions: Math.min(maxInstructions - total, check), exits });
    total += r.instructions;
    const result = { ...r, instructions: total };
    if (r.stop !== 'budget' || r.deadlock || total >= maxInstructions || (exits && exits.used >= exits.limit))
      return { result, timedOut: false };
    if (deadline.expired) return { result, timedOut: true };
  }
}

export interface TimedPairResult {
  /** When timed out, the result as it stood (its `stop` says 'budget'). */
  readonly result: PairResult;
  readonly timedOut: boolean;
}

const work = (pair: Pair): number => pair.primary.computer.cpu.state.instret + pair.backup.computer.cpu.state.instret;

/** Runs `pair` to the end as `Pair.run` does, or until `deadline` passes (checked between scheduling turns). */
export function runPairTimed(pair: Pair, deadline: Deadline, check = CLOCK_CHECK_INSTRUCTIONS): TimedPairResult {
  if (deadline.seconds === undefined) return { result: pair.run(), timedOut: false };
  let next = work(pair) + check;
  for (;;) {
    const stop = pair.turn();
    if (stop) return { result: pair.result(stop), timedOut: false };
    const w = work(pair);
    if (w >= next) {
      if (deadline.expired) return { result: pair.result('budget'), timedOut: true };
      next = w + check;
    }
  }
}
