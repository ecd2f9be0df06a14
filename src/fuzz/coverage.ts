/**
 * Window coverage: for each I/O operation of the failure-free run, which of the windows in which a primary
 * failure makes its fate uncertain some case of the sweep actually opened:
 *  - `in-flight/performed`, `in-flight/dropped`: the primary failed after an epoch end since the operation's
 *    issue (the backup's guest saw it issued) with the operation still in flight at its device, and Rule 3
 *    performed it, or did not;
 *  - `completed`: its completion had reached the failed primary but the backup's guest never got it
 *    (the takeover deletes it, step 312);
 *  - `delivered`: the failure came after both replicas' guests had its COMPLETED record.
 * Each case reports what it opened (from the failure record and the takeover), the sweep takes the union,
 * and every window left closed is listed with the reason: impossible in this machine, or not reached.
 */
import type { Pair } from '../ft/pair.js';
import type { OutstandingPolicy } from './case.js';
import type { Timeline } from './timeline.js';

export const WINDOWS = ['in-flight/performed', 'in-flight/dropped', 'completed', 'delivered'] as const;
export type WindowName = (typeof WINDOWS)[number];

/** What one case opened, compactly (it crosses the worker boundary). */
export interface CaseWindows {
  readonly inFlight: readonly number[];
  readonly policy: OutstandingPolicy;
  /** Of `inFlight`, those Rule 3 performed (the seeded fault model decides each; the other policies decide all alike). */
  readonly performed?: readonly number[];
  readonly completed: readonly number[];
  /** Operations with an id below this one, except `notDelivered`, were delivered on both replicas. */
  readonly deliveredBelow: number;
  readonly notDelivered: readonly number[];
}

/** The windows a finished case opened; undefined when no primary failed and was taken over. */
export function windowsOf(pair: Pair, policy: OutstandingPolicy): CaseWindows | undefined {
  const f = pair.failure;
  const t = pair.takeover;
  if (!f || f.side !== 'primary' || !t || t.issuedBeforeTakeover === undefined) return undefined;
  const seen = t.issuedBeforeTakeover;
  const inFlightIds = new Set(f.inFlightOpIds ?? []);
  const unknown = t.unknownOutcome.map((o) => o.opId);
  const inFlight = unknown.filter((id) => id < seen && inFlightIds.has(id));
  const performed = new Set(f.performedOpIds ?? []);
  return {
    inFlight,
    policy,
    ...(policy === 'seeded' ? { performed: inFlight.filter((id) => performed.has(id)) } : {}),
    completed: unknown.filter((id) => !inFlightIds.has(id)),
    deliveredBelow: seen,
    notDelivered: unknown.filter((id) => id < seen),
  };
}

export interface UntestedWindow {
  readonly opId: number;
  readonly kind: string;
  readonly window: WindowName;
  /** True when the machine makes the window impossible (not a gap of the sweep). */
  readonly impossible: boolean;
  readonly reason: string;
}

export interface CoverageReport {
  readonly windows: readonly WindowName[];
  /** Per operation kind: operations, and how many had each window opened. */
  readonly kinds: { readonly kind: string; readonly ops: number; readonly tested: Record<WindowName, number> }[];
  readonly total: { readonly ops: number; readonly tested: Record<WindowName, number>; readonly possible: number; readonly opened: number };
  readonly untested: UntestedWindow[];
  /** Operation ids per window (for merging shards). */
  readonly testedOps: Record<WindowName, number[]>;
  /** Every operation of the failure-free run: [opId, kind] (for merging shards). */
  readonly ops: [number, string][];
}

/** Union of what the cases opened. */
export class CoverageTally {
  readonly opened: Record<WindowName, Set<number>> = {
    'in-flight/performed': new Set(),
    'in-flight/dropped': new Set(),
    completed: new Set(),
    delivered: new Set(),
  };

  add(w: CaseWindows | undefined): void {
    if (!w) return;
    const performed = new Set(w.performed ?? []);
    for (const id of w.inFlight) {
      const yes = w.policy === 'performed' || (w.policy === 'seeded' && performed.has(id));
      this.opened[yes ? 'in-flight/performed' : 'in-flight/dropped'].add(id);
    }
    for (const id of w.completed) this.opened.completed.add(id);
    const notDelivered = new Set(w.notDelivered);
    for (let id = 1; id < w.deliveredBelow; id++) if (!notDelivered.has(id)) this.opened.delivered.add(id);
  }

  addIds(window: WindowName, ids: readonly number[]): void {
    for (const id of ids) this.opened[window].add(id);
  }
}

/** Why a window of an operation cannot be opened in this machine, from the failure-free run; undefined if it can. */
function impossibility(o: Timeline['ops'][number], window: WindowName): string | undefined {
  if (window === 'completed' || window === 'delivered') {
    if (o.completedAt === undefined) return 'its completion never reached the primary: the guest halted with it in flight';
    if (window === 'delivered' && o.deliveredEpoch === undefined)
      return 'its completion arrived in the epoch that ended with the halt, so it was never delivered';
  }
  return undefined;
}

/** Why a possible window stayed closed. */
export type ClosedBecause = 'gap' | 'stopped' | 'violations' | 'seeded-only' | 'sampled';

const CLOSED_REASON: Record<ClosedBecause, string> = {
  gap: 'not opened by any case (a gap in the schedule space)',
  stopped: 'not reached: the sweep stopped early or ran only a shard',
  violations: 'not opened: the cases that would open it ended in violations first (no takeover)',
  'seeded-only': 'not opened: the schedule cases were skipped (--seeded-only)',
  sampled: 'not opened by any case of this random campaign (the exhaustive sweep opens every possible window)',
};

export function coverageReport(timeline: Timeline, tally: CoverageTally, closed: ClosedBecause): CoverageReport {
  const byId = new Map(timeline.ops.map((o) => [o.opId, o]));
  return buildCoverage(
    timeline.ops.map((o) => [o.opId, o.kind]),
    (id, w) => impossibility(byId.get(id)!, w),
    tally.opened,
    closed,
  );
}

/** The report from the operations, what makes a window impossible, and the windows opened. */
export function buildCoverage(
  ops: readonly (readonly [number, string])[],
  impossible: (opId: number, w: WindowName) => string | undefined,
  opened: Record<WindowName, ReadonlySet<number>>,
  closed: ClosedBecause,
): CoverageReport {
  const kinds = new Map<string, { ops: number; tested: Record<WindowName, number> }>();
  const zero = (): Record<WindowName, number> => ({ 'in-flight/performed': 0, 'in-flight/dropped': 0, completed: 0, delivered: 0 });
  const total = { ops: 0, tested: zero(), possible: 0, opened: 0 };
  const untested: UntestedWindow[] = [];
  for (const [opId, kind] of ops) {
    const k = kinds.get(kind) ?? { ops: 0, tested: zero() };
    kinds.set(kind, k);
    k.ops++;
    total.ops++;
    for (const w of WINDOWS) {
      const why = impossible(opId, w);
      if (!why) total.possible++;
      if (opened[w].has(opId)) {
        k.tested[w]++;
        total.tested[w]++;
        if (!why) total.opened++;
        continue;
      }
      untested.push({
        opId,
        kind,
        window: w,
        impossible: why !== undefined,
        reason: why ?? CLOSED_REASON[closed],
      });
    }
  }
  const testedOps = Object.fromEntries(WINDOWS.map((w) => [w, [...opened[w]].sort((a, b) => a - b)])) as Record<WindowName, number[]>;
  return {
    windows: WINDOWS,
    kinds: [...kinds.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([kind, v]) => ({ kind, ...v })),
    total,
    untested,
    testedOps,
    ops: ops.map(([id, kind]) => [id, kind]),
  };
}
