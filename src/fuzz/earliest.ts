/**
 * Which failing case a report names first: the simplest schedule (fewest epoch cuts: the seeded schedule
 * where it fails at all), then the earliest failure (the failed computer's instruction count).
 */
/** What ranking needs of a failure (FuzzFailure has these). */
export interface RankedFailure {
  readonly point: string;
  readonly cuts?: readonly number[];
  readonly atInstruction?: number;
}

function rank(f: RankedFailure): [number, number] {
  const m = /(\d+)$/.exec(f.point);
  return [f.cuts?.length ?? 0, f.atInstruction ?? (m ? Number(m[1]) : 0)];
}

export function earliestFailure<F extends RankedFailure>(failures: readonly F[]): F | undefined {
  let best: F | undefined;
  let bestRank: [number, number] = [Infinity, Infinity];
  for (const f of failures) {
    const r = rank(f);
    if (r[0] < bestRank[0] || (r[0] === bestRank[0] && r[1] < bestRank[1])) {
      best = f;
      bestRank = r;
    }
  }
  return best;
}
