/** Measuring with benchmark.js on a shared machine: one case, or several in paired rounds. */
import Benchmark from 'benchmark';

export function measure(name: string, fn: () => void, quick: boolean, maxTime = quick ? 1 : 2): Promise<Benchmark> {
  return new Promise((resolve, reject) => {
    const b = new Benchmark(name, fn, { minSamples: quick ? 5 : 10, maxTime });
    b.on('complete', () => (b.error ? reject(b.error) : resolve(b)));
    b.run();
  });
}

/** One asynchronous case (a whole fuzz sweep, say): few, long samples. */
export function measureAsync(name: string, fn: () => Promise<unknown>, quick: boolean): Promise<Benchmark> {
  return new Promise((resolve, reject) => {
    const bench = new Benchmark(name, {
      defer: true,
      maxTime: quick ? 1 : 10,
      minSamples: quick ? 1 : 3,
      initCount: 1,
      fn: (deferred: { resolve(): void }) => void fn().then(() => deferred.resolve(), reject),
    });
    bench.on('complete', () => (bench.error ? reject(bench.error) : resolve(bench)));
    bench.run({ async: true });
  });
}

/** One case of `interleaved`: its speed in every round, and figures over the rounds. */
export interface Measured {
  readonly name: string;
  /** Runs per second in each round (benchmark.js's mean over that round's samples). */
  readonly rounds: readonly number[];
  /**
   * Runs per second: the first case's median over the rounds; for the others, the first case's figure times the
   * median of their per-round ratios to it, so that `hz / first.hz` is exactly that median.
   */
  readonly hz: number;
  /** benchmark.js samples over all rounds. */
  readonly samples: number;
  /** Spread: the median absolute deviation of the per-round ratios to the first case (of the rates, for the first), in % of their median. */
  readonly rme: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The median absolute deviation of `xs`, in % of their median. */
function spread(xs: readonly number[]): number {
  const m = median(xs);
  return (median(xs.map((x) => Math.abs(x - m))) / m) * 100;
}

/**
 * The median over the rounds of `a`'s speed divided by `b`'s in the same round. On a shared machine a neighbour's
 * burst of load lasts seconds: it hits both sides of one round's ratio alike, and the median drops the rounds it
 * hit unevenly.
 */
export function ratioOf(a: Measured, b: Measured): number {
  return median(a.rounds.map((hz, r) => hz / b.rounds[r]!));
}

/**
 * Measures several cases in paired rounds: every round measures each case once, briefly, in turn (forwards in
 * even rounds, backwards in odd ones, so that neither side of a ratio always runs right after the other). Compare
 * cases with `ratioOf`; the first case is the baseline that `hz` is given against.
 */
export async function interleaved(
  cases: ReadonlyArray<readonly [string, () => void]>,
  quick: boolean,
  rounds = quick ? 2 : 7,
): Promise<Measured[]> {
  const hz: number[][] = cases.map(() => []);
  const samples = cases.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    const order = cases.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const b = await measure(cases[i]![0], cases[i]![1], quick, quick ? 0.5 : 0.75);
      hz[i]!.push(b.hz);
      samples[i]! += b.stats.sample.length;
    }
  }
  const first = hz[0]!;
  const base = median(first);
  return cases.map(([name], i) => {
    const ratios = hz[i]!.map((h, r) => h / first[r]!);
    return {
      name,
      rounds: hz[i]!,
      hz: i === 0 ? base : base * median(ratios),
      samples: samples[i]!,
      rme: spread(i === 0 ? first : ratios),
    };
  });
}

/** A single benchmark.js run as a `Measured` of one round. */
export function measured(b: Benchmark): Measured {
  return { name: b.name ?? '', rounds: [b.hz], hz: b.hz, samples: b.stats.sample.length, rme: b.stats.rme };
}
