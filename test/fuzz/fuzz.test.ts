import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzFailover } from '../../src/fuzz/fuzz.js';
import { expectFailoverSafe, FailoverSafetyError, distinctFailurePoints, failurePointArb } from '../../src/testing.js';
import { Pair } from '../../src/ft/pair.js';
import { program, programPath } from '../programs.js';

// Sweeps in the test suite use 16K-instruction epochs to keep them quick; `npm run fuzz:all` sweeps the defaults.
const QUICK = { config: { epochLength: 16384 }, workers: 2 };

describe('exhaustive sweeps: every distinct failure point of every program', () => {
  for (const name of ['hello.s', 'traps.s', 'disk.s', 'journal.elf', 'echo.elf', 'mix.elf']) {
    it(name, async () => {
      const report = await expectFailoverSafe(program(name), { ...QUICK, programName: programPath(name) });
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
    expect(report.equivalence!.classes).toBe(report.distinctPoints);
    expect(report.equivalence!.mismatches).toBe(0);
  });
});

describe('the oracles bite: broken variants are caught, with the earliest failing point', () => {
  const opts = { ...QUICK, workers: 1, stopAtFirstFailure: true, programName: 'journal.elf' };
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['a monitor that keeps the failed epoch\'s completions', () => fuzzFailover(program('journal.elf'), { ...opts, flaws: ['keep-completions'] }), /./],
    ['a monitor that synthesises no DISCONNECTED interrupts', () => fuzzFailover(program('journal.elf'), { ...opts, flaws: ['no-disconnect'] }), /./],
    ['a monitor that delivers interrupts mid-epoch', () => fuzzFailover(program('journal.elf'), { ...opts, flaws: ['mid-epoch-delivery'] }), /digests/],
    ['a guest runtime that does not reissue', () => fuzzFailover(program('journal-noreissue.elf'), { ...opts }), /./],
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

  it('shards split one sweep without overlap or gaps', async () => {
    const whole = await fuzzFailover(program('hello.s'), { workers: 1, determinismSamples: 0 });
    const parts = await Promise.all([1, 2, 3].map((index) => fuzzFailover(program('hello.s'), { workers: 1, determinismSamples: 0, shard: { index, count: 3 } })));
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
    const before = new Pair(image, { ...opts, failAt: { kind: 'event', n: earliest - 1 }, maxInstructions: reference.instructions * 4 }).run();
    expect(before.stop === 'halt' && before.console === reference.console).toBe(true);
  });
});
