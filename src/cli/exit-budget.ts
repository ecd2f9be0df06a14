/**
 * The exit budget of the commands that run guests (`run`, `pair`, `demo`, `step`): how many times a computer's
 * processor may stop for a trap or a sensitive instruction (hw/engine.ts ExitBudget). It is derived from the
 * instruction budget, so that `--max-instructions` stays the one budget a user sets: DEFAULTS.maxExits at the
 * default budget or below, and in proportion above it.
 */
import { DEFAULTS } from '../base/defaults.js';
import type { ExitBudget } from '../hw/engine.js';

/** Exits allowed per computer for an instruction budget of `maxInstructions`. */
export function exitBudgetFor(maxInstructions: number): number {
  return Math.max(DEFAULTS.maxExits, Math.floor((maxInstructions / DEFAULTS.maxInstructions) * DEFAULTS.maxExits));
}

/** True when `budget` is spent: the run it bounded stopped on it. */
export function exitsSpent(budget: ExitBudget | undefined): boolean {
  return budget !== undefined && budget.used >= budget.limit;
}
