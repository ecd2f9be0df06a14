/**
 * The exit budget of every run of a guest (`run`, `pair`, `demo`, `step`, and each run of a `fuzz` sweep): how
 * many times a computer's processor may stop for a trap or a sensitive instruction (hw/engine.ts ExitBudget).
 * It is derived from the instruction budget, so that `--max-instructions` stays the one budget a user sets:
 * DEFAULTS.maxExits at the default budget or below, and in proportion above it.
 */
import { DEFAULTS } from './defaults.js';

/** Exits allowed per computer for an instruction budget of `maxInstructions`. */
export function exitBudgetFor(maxInstructions: number): number {
  return Math.max(DEFAULTS.maxExits, Math.floor((maxInstructions / DEFAULTS.maxInstructions) * DEFAULTS.maxExits));
}
