/**
 * What "a smaller failing case" means, and the simpler cases tried from a failing one. A case is smaller
 * when, in this order, it has fewer configuration values away from the sweep's configuration (the
 * defaults), fewer epoch cuts, fewer operation outcomes flipped by Rule 3, an earlier failure point, and
 * values nearer the defaults (shorter trap delays: less jitter). Candidates are listed biggest step first,
 * in a fixed order, so shrinking is deterministic: the same failing case always shrinks to the same case.
 */
import type { FailurePoint } from '../ft/failure-point.js';
import type { FuzzCase, OutstandingPolicy } from './case.js';
import type { CaseConfig } from './reference.js';
import type { Timeline } from './timeline.js';
import { epochClosedBy } from './schedules.js';

/** The configuration fields a case may move away from the sweep's configuration. */
const FIELDS = ['seed', 'epochLength', 'trapDelayMax', 'channelCapacity', 'backupPace', 'drainEndsEpoch'] as const;

/** Operations whose Rule 3 outcome a policy flips away from the failure-free run's (performed): none, all, or the seed's choice. */
const FLIPS: Record<OutstandingPolicy, number> = { performed: 0, dropped: 1, seeded: 2 };

const CAPACITIES = [1, 2, 8, 64, 1024];
const PACES = [0.05, 0.2, 0.5, 1];

export type Size = readonly number[];

/** How far a case is from the simplest one (see the module comment); compared lexicographically. */
export function sizeOf(c: FuzzCase, base: CaseConfig): Size {
  const away = FIELDS.filter((f) => c[f] !== base[f]).length;
  const ladder = (list: number[], v: number, to: number): number => Math.abs(nearest(list, v) - nearest(list, to));
  const distance =
    Math.abs(Math.log2(c.epochLength / base.epochLength)) +
    Math.abs(c.trapDelayMax - base.trapDelayMax) / 64 +
    ladder(CAPACITIES, c.channelCapacity, base.channelCapacity) +
    ladder(PACES, c.backupPace, base.backupPace);
  return [away, c.cuts?.length ?? 0, FLIPS[c.outstanding], c.point.kind === 'instruction' ? 1 : 0, c.point.n, distance];
}

function nearest(list: readonly number[], v: number): number {
  let best = 0;
  for (let i = 1; i < list.length; i++) if (Math.abs(list[i]! - v) < Math.abs(list[best]! - v)) best = i;
  return best;
}

export function smaller(a: Size, b: Size): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** What the shrinker learned from the current case's run, to propose cases in the sweep's configuration. */
export interface CaseFacts {
  /** Operations (by id) in flight at the failed primary after an epoch end since their issue. */
  readonly inFlight: readonly number[];
  /** The failed computer's externally visible actions at the failure (its class of equivalent points). */
  readonly failedAfterEvents?: number;
}

/** Earlier points of the same kind: the earliest possible first, then halving the distance (as fast-check shrinks an integer). */
function earlierPoints(p: FailurePoint): FailurePoint[] {
  const low = p.kind === 'epoch' ? 1 : 0;
  const out: FailurePoint[] = [];
  for (let d = p.n - low; d >= 1; d = Math.floor(d / 2)) out.push({ kind: p.kind, n: p.n - d });
  return out;
}

/** Halfway from `v` to `to` (rounded toward `to`), if that is a new value. */
function halfway(v: number, to: number): number | undefined {
  const mid = v > to ? Math.floor((v + to) / 2) : Math.ceil((v + to) / 2);
  return mid !== v && mid !== to ? mid : undefined;
}

/** The next value of a ladder one step toward `to`. */
function stepToward(list: readonly number[], v: number, to: number): number | undefined {
  const i = nearest(list, v);
  const j = nearest(list, to);
  const k = i + Math.sign(j - i);
  return i !== j && k !== j ? list[k] : undefined;
}

/**
 * The simpler cases to try after `c`, biggest step first: the sweep's configuration with the same failure
 * point, then with one epoch cut after an operation that was in flight at the failure (as a schedule case
 * of the exhaustive sweep), then one configuration value back to its default, one cut fewer, fewer flipped
 * outcomes, an earlier failure point, and values halfway to their defaults.
 */
export function candidates(c: FuzzCase, facts: CaseFacts, base: CaseConfig, baseTimeline: Timeline): FuzzCase[] {
  const out: FuzzCase[] = [];
  const policies = (['performed', 'dropped'] as const).filter((p) => FLIPS[p] <= FLIPS[c.outstanding]);
  const away = FIELDS.filter((f) => c[f] !== base[f]);
  if (away.length > 0) {
    out.push({ ...c, ...base, cuts: undefined });
    for (const id of facts.inFlight.slice(0, 4)) {
      const op = baseTimeline.ops.find((o) => o.opId === id);
      const epoch = op && epochClosedBy(baseTimeline, op.issuedAt);
      if (!op || epoch === undefined) continue;
      for (const outstanding of policies) out.push({ ...c, ...base, cuts: [op.issuedAt], point: { kind: 'epoch', n: epoch }, outstanding });
    }
    for (const f of away) out.push({ ...c, [f]: base[f] });
  }
  for (let i = 0; i < (c.cuts?.length ?? 0); i++) {
    const cuts = c.cuts!.filter((_, j) => j !== i);
    out.push({ ...c, cuts: cuts.length ? cuts : undefined });
  }
  for (const outstanding of policies) if (outstanding !== c.outstanding) out.push({ ...c, outstanding });
  if (c.point.kind === 'instruction' && c.fail === 'primary' && facts.failedAfterEvents !== undefined) {
    out.push({ ...c, point: { kind: 'event', n: facts.failedAfterEvents } });
  }
  for (const point of earlierPoints(c.point)) out.push({ ...c, point });
  const epoch = halfway(c.epochLength, base.epochLength);
  if (epoch !== undefined) out.push({ ...c, epochLength: epoch });
  const delay = halfway(c.trapDelayMax, base.trapDelayMax);
  if (delay !== undefined) out.push({ ...c, trapDelayMax: delay });
  const capacity = stepToward(CAPACITIES, c.channelCapacity, base.channelCapacity);
  if (capacity !== undefined) out.push({ ...c, channelCapacity: capacity });
  const pace = stepToward(PACES, c.backupPace, base.backupPace);
  if (pace !== undefined) out.push({ ...c, backupPace: pace });
  return out;
}
