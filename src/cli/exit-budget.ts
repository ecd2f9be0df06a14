/** Whether a command's run stopped on its exit budget (src/base/exit-budget.ts sets the budget). */
import type { ExitBudget } from '../hw/engine.js';

/** True when `budget` is spent: the run it bounded stopped on it. */
export function exitsSpent(budget: ExitBudget | undefined): boolean {
  return budget !== undefined && budget.used >= budget.limit;
}
