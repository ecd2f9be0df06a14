/** The shape every benchmark suite shares, so that `npm run bench` can print one table and one JSON line per result. */

export interface BenchResult {
  readonly suite: string;
  /** What was measured, e.g. `interpreter: sort.elf`. */
  readonly name: string;
  /** The figure, in `unit`. */
  readonly figure: number;
  readonly unit: string;
  /** The baseline's figure measured in the same run, in the same unit (or a description when it is not comparable). */
  readonly baseline: number;
  /** figure / baseline. */
  readonly ratio: number;
  readonly samples: number;
  /** Relative margin of error of the figure, in percent. */
  readonly rme: number;
}

export interface BenchSuite {
  readonly name: string;
  run(opts: { quick: boolean }): Promise<BenchResult[]>;
}
