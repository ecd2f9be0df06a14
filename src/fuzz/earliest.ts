/**
 * Which failing case a report names first: the simplest schedule (fewest epoch cuts: the seeded schedule
 * where it fails at all), then the earliest failure (the failed computer's instruction count).
 */
import type { FuzzFailure } from './fuzz.js';

function rank(f: FuzzFailure): [number, number] {
  const m = /(\d+)$/.exec(f.point);
  return [f.cuts?.length ?? 0, f.atInstruction ?? (m ? Number(m[1]) : 0)];
}

export function earliestFailure(failures: readonly FuzzFailure[]): FuzzFailure | undefined {
  let best: FuzzFailure | undefined;
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
