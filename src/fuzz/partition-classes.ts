/**
 * Partition equivalence classes: the exhaustive sweep partitions the pair at every distinct point `event:N`
 * (each side losing the arbiter once), but many consecutive points leave both sides in the same situation,
 * so a class of them is run once, at its first point, and the report says how many points it stands for.
 *
 * Why that is sound. A partition at `event:N` cuts the primary's end of the channel right after its Nth
 * externally visible action (ft/partition.ts). Compare cuts right after event N-1 and right after event N,
 * with nothing else different. Until the earlier cut the two runs are the same. Between the two cuts the
 * cut is observable only by the primary's channel end: a send attempt (lost when cut; when the channel is
 * full, refused while uncut, so the message waits in the outbox) and the record of the epoch the cut
 * happened in. Nothing else reads it until the primary's epoch turn ends (the pair then lets the backup run,
 * and the fault monitors count epochs from the cut's epoch). So the runs stay the same from the later cut on,
 * and the case has one outcome, when, in the failure-free run of the case's configuration and monitors:
 *  - event N is not a message sent (a send that succeeded would be lost in one run and received in the other);
 *  - the outbox is empty right after event N-1 and right after event N: a send attempt between them either
 *    succeeds (a message-sent event, which is event N, excluded) or fails and leaves the outbox non-empty
 *    until a later send succeeds, which no event before event N did; an empty outbox gives no attempt;
 *  - events N-1 and N happen in the same epoch (the cut's epoch is the same, and both cuts fall in one epoch
 *    turn of the pair: a turn ends mid-epoch only when the primary is blocked on a full channel, which an
 *    empty outbox excludes).
 * Points are merged only across such steps, so every point of a class is equivalent to its first.
 * test/fuzz/partition-classes.test.ts checks that the merged sweep finds what the unmerged one finds.
 */
import type { EventMark, Timeline } from './timeline.js';

export interface PartitionClass {
  /** The class's first point, `event:N`: the one its cases run. */
  readonly point: number;
  /** How many consecutive points (from `point` on) it stands for. */
  readonly points: number;
}

/** True when a cut right after `after` leaves the run the same as a cut right after `before` (see above). */
export function sameCut(before: EventMark, after: EventMark): boolean {
  return after.kind !== 'message-sent' && after.epoch === before.epoch && before.outbox === 0 && after.outbox === 0;
}

/** The classes of the points event:0 .. event:`distinctPoints - 1` of the run `t` records. */
export function partitionClasses(t: Timeline, distinctPoints: number): PartitionClass[] {
  const classes: PartitionClass[] = [];
  let first = 0;
  for (let n = 1; n <= distinctPoints; n++) {
    const before = n === 1 ? t.start : t.events?.[n - 2];
    const after = t.events?.[n - 1];
    if (n < distinctPoints && before && after && sameCut(before, after)) continue;
    classes.push({ point: first, points: n - first });
    first = n;
  }
  return classes;
}

/** One class per point: the sweep without merging. */
export function singletonClasses(distinctPoints: number): PartitionClass[] {
  return Array.from({ length: distinctPoints }, (_, n) => ({ point: n, points: 1 }));
}

/** The class whose first point is `point`, as `partition@event:N..M` (or `partition@event:N` for one point). */
export function classLabel(c: PartitionClass): string {
  return c.points > 1 ? `partition@event:${c.point}..${c.point + c.points - 1}` : `partition@event:${c.point}`;
}
