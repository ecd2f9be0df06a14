import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzFailover } from '../../src/fuzz/fuzz.js';
import { expectFailoverSafe, FailoverSafetyError, distinctFailurePoints, failurePointArb } from '../../src/testing.js';
import { Pair } from '../../src/ft/pair.js';
import { program, programPath } from '../programs.js';

// Sweeps in the test suite use 16K-instruction epochs to keep them quick; `npm run fuzz:all` sweeps the defaults.
const QUICK = { config: { epochLength: 16384 }, workers: 2 };

describe('exhaustive sweeps: every distinct failure point of every program', () => {
  for (const name of ['hello.s', 'traps.s', 'disk.s', 'journal.elf', 'journal-eager.elf', 'echo.elf', 'mix.elf']) {
    it(name, async () => {
      // Partition cases triple a sweep: the suite runs them on the small assembly guests; fuzz:all runs them on all.
      const partitions = name.endsWith('.s');
      const report = await expectFailoverSafe(program(name), { ...QUICK, partitions, programName: programPath(name) });
      expect(report.checked).toBeGreaterThanOrEqual(report.distinctPoints);
      expect(report.determinism.checked).toBeGreaterThan(0);
      expect(report.determinism.mismatches).toBe(0);
    });
  }
});

describe('every instruction boundary', () => {
  it('gives the same outcome within each class of equivalent points (hello.s)', async () => {
    const report = await fuzzFailover(program('hello.s'), { mode: 'every-instruction', workers: 2, config: { epochLength: 256 } });
    expect(report.failures).toEqual([]);
    expect(report.checked).toBeGreaterThanOrEqual(report.points);
    // Actions that happen at one instruction boundary (an epoch end sends its interrupt copies and the
    // epoch-end message together) cannot be told apart by failing between instructions, so an
    // instruction sweep meets some of the K + 1 classes, each with one outcome.
    expect(report.equivalence!.classes).toBeGreaterThan(2);
    expect(report.equivalence!.classes).toBeLessThanOrEqual(report.distinctPoints);
    expect(report.equivalence!.mismatches).toBe(0);
  });
});

describe('the oracles bite: broken variants are caught, with the earliest failing point', () => {
  const opts = { ...QUICK, stopAtFirstFailure: true, programName: 'journal.elf' };
  // Kept completions name operation ids; journal.elf's runtime waits for its CONNECT before reissuing,
  // and the CONNECT absorbs the one stale completion that can match (the rest name ids not yet issued).
  // journal-eager.elf reissues right after the CONNECT is accepted, so stale completions complete the
  // wrong operations: the flaw shows there (and the correct monitor is swept on it above).
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    [
      "a monitor that keeps the failed epoch's completions",
      () => fuzzFailover(program('journal-eager.elf'), { ...opts, flaws: ['keep-completions'] }),
      /^(exit-code|console)$/,
    ],
    [
      'a monitor that synthesises no DISCONNECTED interrupts',
      () => fuzzFailover(program('journal.elf'), { ...opts, flaws: ['no-disconnect'] }),
      /^(hang|exit-code|console)$/,
    ],
    [
      'a monitor that delivers interrupts mid-epoch',
      () => fuzzFailover(program('journal.elf'), { ...opts, flaws: ['mid-epoch-delivery'] }),
      /^digests$/,
    ],
    [
      'a guest runtime that does not reissue',
      () => fuzzFailover(program('journal-noreissue.elf'), { ...opts }),
      /^(exit-code|console|disk)$/,
    ],
  ];
  for (const [what, run, oracle] of cases) {
    it(what, async () => {
      const report = (await run()) as Awaited<ReturnType<typeof fuzzFailover>>;
      expect(report.failures.length).toBeGreaterThan(0);
      expect(report.earliest).toBeDefined();
      expect(report.earliest!.oracle).toMatch(oracle);
      expect(report.earliest!.replay).toMatch(/^npx shadowvm fuzz \S+ --seed \d+ .*--fail-at event:\d+/);
    });
  }

  it('expectFailoverSafe throws with the replay lines', async () => {
    const err = await expectFailoverSafe(program('journal-noreissue.elf'), { ...opts }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FailoverSafetyError);
    expect((err as Error).message).toMatch(/failover violation\(s\) in journal\.elf .*\n .*\n {4}npx shadowvm fuzz/);
  });
});

describe('random campaigns', () => {
  it('draw configurations, failing sides and points from one seed, reproducibly', async () => {
    const a = await fuzzFailover(program('journal.elf'), { runs: 12, seed: 77, workers: 2, determinismSamples: 2 });
    const b = await fuzzFailover(program('journal.elf'), { runs: 12, seed: 77, workers: 1, determinismSamples: 0 });
    expect(a.failures).toEqual([]);
    expect(a.checked).toBe(12);
    expect(b.checked).toBe(12);
  });

  it('progress counts failure points, never more than there are, and ends at the total', async () => {
    const seen: [number, number][] = [];
    const report = await fuzzFailover(program('disk.s'), {
      workers: 1,
      determinismSamples: 0,
      onProgress: (done, total) => seen.push([done, total]),
    });
    const total = seen[0]![1];
    expect(report.checked).toBeGreaterThan(total); // some points run twice: Rule 3's dropped and performed
    expect(seen.every(([done, t]) => t === total && done <= total)).toBe(true);
    expect(seen.at(-1)).toEqual([total, total]);
  });

  it('shards split one sweep without overlap or gaps', async () => {
    const whole = await fuzzFailover(program('hello.s'), { workers: 1, determinismSamples: 0 });
    const parts = await Promise.all(
      [1, 2, 3].map((index) => fuzzFailover(program('hello.s'), { workers: 1, determinismSamples: 0, shard: { index, count: 3 } })),
    );
    expect(parts.reduce((n, p) => n + p.checked, 0)).toBe(whole.checked);
  });
});

describe('fast-check arbitrary', () => {
  it('shrinks a failing property to the earliest failing point', () => {
    const image = program('journal-noreissue.elf');
    const opts = { seed: 1, monitor: { epochLength: 16384 } };
    const K = distinctFailurePoints(image, opts);
    const reference = new Pair(image, opts).run();
    const result = fc.check(
      fc.property(failurePointArb(K), (point) => {
        const r = new Pair(image, { ...opts, failAt: point, maxInstructions: reference.instructions * 4 }).run();
        return r.stop === 'halt' && r.console === reference.console;
      }),
      { seed: 42, numRuns: 60 },
    );
    expect(result.failed).toBe(true);
    const earliest = (result.counterexample![0] as { n: number }).n;
    // The shrunk point fails and the one before it does not: it is the earliest.
    const before = new Pair(image, {
      ...opts,
      failAt: { kind: 'event', n: earliest - 1 },
      maxInstructions: reference.instructions * 4,
    }).run();
    expect(before.stop === 'halt' && before.console === reference.console).toBe(true);
  });
});
