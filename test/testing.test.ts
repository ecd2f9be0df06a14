/**
 * shadowvm/testing as a suite author uses it: the per-point checker (the fuzzer's oracles, one point at a
 * time) under a fast-check property that shrinks to the earliest failing point, and the vitest matcher
 * `toSurviveFailover` registered by shadowvm/testing/vitest, with its time limit and its progress.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCurrentTest } from 'vitest/suite';
import { checkFailurePoint, failoverChecker, failurePointArb, distinctFailurePoints } from '../src/testing.js';
import { timeLimitFor } from '../src/testing/vitest.js';
import { fuzzFailover } from '../src/fuzz/fuzz.js';
import { ShadowError } from '../src/base/errors.js';
import { program, programPath } from './programs.js';

// hello.s with short epochs: a few dozen points, a sweep of well under a second.
const HELLO = { config: { epochLength: 256 }, programName: 'hello.s' };
const BROKEN = { ...HELLO, flaws: ['mid-epoch-delivery' as const] }; // fails from event:4 on (digests)

describe("failoverChecker: one failure point, judged by the fuzzer's oracles", () => {
  it('counts the distinct points as the fuzzer does, and every point of a correct run holds', async () => {
    const checker = failoverChecker(program('hello.s'), HELLO);
    // The checker judges failure points of the seeded schedule: compare with the sweep's seeded schedule only.
    const report = await fuzzFailover(program('hello.s'), { ...HELLO, workers: 1, schedules: false, partitions: false });
    expect(checker.distinctPoints).toBe(report.distinctPoints);
    expect(checker.reference).toEqual({ stop: 'halt', exitCode: 13, instructions: report.reference.instructions });
    let cases = 0;
    for (let n = 0; n < checker.distinctPoints; n++) {
      const v = checker.check({ kind: 'event', n });
      expect(v.ok, v.point).toBe(true);
      expect(v.violations).toEqual([]);
      expect(v.cases[0]!.outstanding).toBe('dropped');
      cases += v.cases.length;
    }
    expect(cases).toBe(report.checked); // dropped, and performed when operations were in flight: as the sweep
  });

  it('gives the same violations and replay lines as the sweep, point by point', async () => {
    const report = await fuzzFailover(program('hello.s'), {
      ...BROKEN,
      workers: 1,
      determinismSamples: 0,
      schedules: false,
      partitions: false,
    });
    expect(report.failures.length).toBeGreaterThan(0);
    const checker = failoverChecker(program('hello.s'), BROKEN);
    const fromChecker = [];
    for (let n = 0; n < checker.distinctPoints; n++) {
      for (const v of checker.check({ kind: 'event', n }).violations)
        fromChecker.push({ point: `event:${n}`, oracle: v.oracle, detail: v.detail, replay: v.replay });
    }
    expect(fromChecker).toEqual(report.failures.map((f) => ({ point: f.point, oracle: f.oracle, detail: f.detail, replay: f.replay })));
  });

  it("with failurePointArb, a property test shrinks to the sweep's earliest failing point", async () => {
    const report = await fuzzFailover(program('hello.s'), {
      ...BROKEN,
      workers: 1,
      determinismSamples: 0,
      schedules: false,
      partitions: false,
    });
    const checker = failoverChecker(program('hello.s'), BROKEN);
    const r = fc.check(
      fc.property(failurePointArb(checker.distinctPoints), (p) => checker.check(p).ok),
      { seed: 3, numRuns: 50 },
    );
    expect(r.failed).toBe(true);
    expect(`event:${(r.counterexample![0] as { n: number }).n}`).toBe(report.earliest!.point);
  });

  it('checkFailurePoint checks one point; a point past the run is refused with a clear message', () => {
    const K = distinctFailurePoints(program('hello.s'), { monitor: { epochLength: 256 } });
    expect(checkFailurePoint(program('hello.s'), { kind: 'event', n: K - 1 }, HELLO).ok).toBe(true);
    const checker = failoverChecker(program('hello.s'), HELLO);
    expect(() => checker.check({ kind: 'event', n: K })).toThrow(
      new ShadowError('USAGE', `failure point event:${K} is outside event:0..event:${K - 1}`),
    );
    expect(() => checker.check({ kind: 'event', n: K })).toThrow(`failure point event:${K} is outside event:0..event:${K - 1}`);
  });

  it('the determinism option runs each case again from reset', () => {
    const v = checkFailurePoint(program('hello.s'), { kind: 'event', n: 3 }, { ...HELLO, determinism: true });
    expect(v.ok).toBe(true);
  });
});

describe('expect(program).toSurviveFailover(options)', () => {
  it('passes for a guest that survives, given an image or a path, and reports progress', async () => {
    await import('../src/testing/vitest.js');
    const seen: [number, number][] = [];
    await expect(program('hello.s')).toSurviveFailover({ ...HELLO, workers: 1, onProgress: (done, total) => seen.push([done, total]) });
    const total = seen.at(-1)![1];
    expect(seen.at(-1)).toEqual([total, total]);
    expect(getCurrentTest()!.meta.shadowvm).toEqual({ done: total, total, failures: 0 });
    await expect(programPath('hello.s')).toSurviveFailover({ config: { epochLength: 256 }, workers: 1 });
  });

  it('fails with the earliest failing point and the replay lines', async () => {
    await import('../src/testing/vitest.js');
    await expect(program('hello.s')).not.toSurviveFailover({ ...BROKEN, workers: 1 });
    const err = await expect(program('hello.s'))
      .toSurviveFailover({ ...BROKEN, workers: 1 })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err?.message).toMatch(
      /^expected hello\.s to survive a failure of the primary, but: \d+ failover violation\(s\) in hello\.s \(\d+ cases checked\); earliest at event:\d+:\n {2}primary at event:\d+: \w[\w-]*: .*\n {4}npx shadowvm fuzz hello\.s --seed 1 --epoch 256 .*--flaw mid-epoch-delivery/,
    );
    const notErr = await expect(program('hello.s'))
      .not.toSurviveFailover({ ...HELLO, workers: 1 })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(notErr?.message).toMatch(
      /^expected hello\.s not to survive a failure of the primary, but all \d+ distinct failure points, \d+ cases held every oracle$/,
    );
  });

  it("fails, saying why, when its time limit stops the sweep early (the limit follows the test's timeout)", async () => {
    await import('../src/testing/vitest.js');
    expect(timeLimitFor(5000)).toBe(4);
    expect(timeLimitFor(0)).toBeUndefined();
    const opts = { config: { epochLength: 256 }, programName: 'journal.elf', workers: 1, timeLimitSec: 0.001 };
    const err = await expect(program('journal.elf'))
      .toSurviveFailover(opts)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err?.message).toMatch(
      /^the sweep of journal\.elf stopped at its time limit \(0\.001 s\) after \d+ cases, before every one of its \d+ distinct failure points was checked: give the test a longer timeout \(it\(name, fn, 120_000\)\), or pass \{ partial: true \} to accept a partial sweep$/,
    );
    await expect(program('journal.elf')).toSurviveFailover({ ...opts, partial: true });
  });

  it('refuses what is not a program', async () => {
    await import('../src/testing/vitest.js');
    const err = await expect(42)
      .toSurviveFailover()
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err?.message).toBe('toSurviveFailover: expected a program image (loadProgram) or the path of a program');
  });
});
