/**
 * Progress for a long command whose stderr is not a terminal (a CI log, a pipe): one plain line at most every
 * `everyMs` (10 s by default), so a slow sweep is never silent for minutes and a quick one prints nothing.
 */
export interface ProgressLines {
  update(done: number, total: number, failures: number): void;
}

export function progressLines(write: (text: string) => void, label: string, everyMs = 10_000, now: () => number = Date.now): ProgressLines {
  const start = now();
  let last = start;
  return {
    update(done, total, failures) {
      const t = now();
      if (t - last < everyMs) return;
      last = t;
      const elapsed = (t - start) / 1000;
      const left = done > 0 ? (elapsed * (total - done)) / done : undefined;
      const eta = left === undefined ? '' : `, about ${Math.ceil(left)} s left`;
      write(`${label}: ${done}/${total} points, ${failures} failing cases, ${Math.round(elapsed)} s elapsed${eta}\n`);
    },
  };
}
