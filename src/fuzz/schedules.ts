/**
 * Schedule exploration: the cases that open, on purpose, the window in which an operation's fate is
 * uncertain because it is still in flight at the failed primary's device after an epoch has ended since its
 * issue (the backup's guest saw it issued; the takeover's DISCONNECTED must make it reissue it).
 *
 * The seeded schedule opens that window for an operation only when its completion reaches the primary in a
 * later epoch than its issue. For every other operation the explorer cuts an epoch right after an `io`
 * instruction (a shorter recovery-register load, the epoch phase of that one schedule) and fails the primary
 * right after that epoch's end: every operation issued before the cut and completed after it is then in
 * flight at the failure. One cut serves every operation whose issue-to-completion span contains it, so the
 * cuts are chosen as a minimum set of points stabbing those spans: the schedule space grows with the number
 * of operations (at most one cut each), not with the number of instructions. The other windows (completion
 * received but not delivered, completion delivered) are failure points of the seeded schedule already.
 */
import type { FailurePoint } from '../ft/failure-point.js';
import type { OpTimeline, Timeline } from './timeline.js';

export interface ScheduleCase {
  /** Instruction counts at which an extra epoch boundary is cut. */
  readonly cuts: readonly number[];
  /** Where the primary fails: right after the end of the epoch the cut closes. */
  readonly point: FailurePoint;
  /** The operations this schedule is planned to leave in flight at the failure. */
  readonly ops: readonly number[];
}

/** True when the seeded schedule already fails the primary with `o` in flight after an epoch end since its issue. */
export function inFlightAcrossEpochEnd(o: OpTimeline, lastEpoch: number): boolean {
  return o.completionEpoch !== undefined ? o.completionEpoch > o.issueEpoch : o.issueEpoch < lastEpoch;
}

/** The epoch (numbered as in the seeded schedule) that a cut at `instret` closes, if the run gets there. */
export function epochClosedBy(t: Timeline, instret: number): number | undefined {
  for (const e of t.epochs) if (e.instret >= instret) return e.epoch;
  return undefined;
}

/** The schedule cases for the operations whose in-flight window the seeded schedule leaves closed. */
export function planSchedules(t: Timeline): ScheduleCase[] {
  const lastEpoch = t.epochs.length ? t.epochs[t.epochs.length - 1]!.epoch : 0;
  // Spans [issuedAt, completedAt): a cut at c in the span leaves the operation in flight at the cut's epoch end.
  const open = t.ops
    .filter((o) => !inFlightAcrossEpochEnd(o, lastEpoch))
    .map((o) => ({ o, from: o.issuedAt, to: o.completedAt ?? Infinity }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.to - b.to || a.from - b.from);
  const cases: ScheduleCase[] = [];
  const done = new Set<number>();
  for (const s of open) {
    if (done.has(s.o.opId)) continue;
    // The latest issue point still inside this span: it stabs this span and every later-issued one it can.
    let cut = s.from;
    for (const x of open) if (!done.has(x.o.opId) && x.from < s.to && x.from > cut) cut = x.from;
    const ops = open.filter((x) => !done.has(x.o.opId) && x.from <= cut && cut < x.to).map((x) => x.o.opId);
    const epoch = epochClosedBy(t, cut);
    if (epoch === undefined) continue;
    for (const id of ops) done.add(id);
    cases.push({ cuts: [cut], point: { kind: 'epoch', n: epoch }, ops });
  }
  return cases;
}
