/** Measuring with benchmark.js on a shared machine: one case, or several in interleaved rounds. */
import Benchmark from 'benchmark';

export function measure(name: string, fn: () => void, quick: boolean): Promise<Benchmark> {
  return new Promise((resolve, reject) => {
    const b = new Benchmark(name, fn, { minSamples: quick ? 5 : 10, maxTime: quick ? 1 : 2 });
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

/**
 * Measures several cases in interleaved rounds and keeps each one's best round: on a shared machine a
 * neighbour's burst then hits both sides of a ratio alike instead of one of them.
 */
export async function interleaved(cases: ReadonlyArray<readonly [string, () => void]>, quick: boolean, rounds = 3): Promise<Benchmark[]> {
  const best: Benchmark[] = [];
  for (let round = 0; round < (quick ? 1 : rounds); round++) {
    for (let i = 0; i < cases.length; i++) {
      const b = await measure(cases[i]![0], cases[i]![1], quick);
      if (!best[i] || b.hz > best[i]!.hz) best[i] = b;
    }
  }
  return best;
}
