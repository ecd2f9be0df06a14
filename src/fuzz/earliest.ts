/**
 * Which failing case a report names first: the simplest schedule (fewest epoch cuts: the seeded schedule
 * where it fails at all), then the earliest failure: in the seeded schedule the lowest failure point; across
 * schedules with cuts, the failed computer's instruction count (a case that stopped before its failure was
 * injected has none and ranks after those that have one), then the lowest point.
 */
/** What ranking needs of a failure (FuzzFailure has these). */
export interface RankedFailure {
  readonly point: string;
  readonly cuts?: readonly number[];
  readonly atInstruction?: number;
}

type Rank = [cuts: number, instruction: number, point: number];

function rank(f: RankedFailure): Rank {
  const m = /(\d+)$/.exec(f.point);
  const point = m ? Number(m[1]) : 0;
  const cuts = f.cuts?.length ?? 0;
  return [cuts, cuts === 0 ? point : (f.atInstruction ?? Infinity), point];
}

function before(a: Rank, b: Rank): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

export function earliestFailure<F extends RankedFailure>(failures: readonly F[]): F | undefined {
  let best: F | undefined;
  let bestRank: Rank = [Infinity, Infinity, Infinity];
  for (const f of failures) {
    const r = rank(f);
    if (before(r, bestRank)) {
      best = f;
      bestRank = r;
    }
  }
  return best;
}
