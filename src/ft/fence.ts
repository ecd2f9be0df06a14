/**
 * Asking the arbiter before acting as primary (spec 9): every takeover, and a primary's decision to go on alone,
 * asks first, partition or not. A fail-stop is indistinguishable from a partition to the side that suspects it, so
 * the question is the same; without a partition the asker simply wins. The winner's devices take the new
 * incarnation, with their requests in flight; the caller stops a loser (fail-stop).
 */
import type { Monitor } from '../vmm/monitor.js';
import { FIRST_INCARNATION, type Arbiter, type ArbiterDecision } from './arbiter.js';

/** `m`, named `name` in the world's log, asks the arbiter, believing it holds incarnation `known`. */
export function askArbiter(arbiter: Arbiter, m: Monitor, name: string, why: ArbiterDecision['why'], known: number): ArbiterDecision {
  const d = arbiter.testAndSet(name, Math.max(FIRST_INCARNATION, known), why);
  if (d.won) m.computer.devices.promote(d.incarnation);
  return d;
}
