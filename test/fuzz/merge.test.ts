import { describe, expect, it } from 'vitest';
import { fuzzFailover } from '../../src/fuzz/fuzz.js';
import { mergeReports } from '../../src/fuzz/merge.js';
import { program } from '../programs.js';

describe('mergeReports', () => {
  it('adds shards up to the whole sweep: same cases, failures and coverage', async () => {
    const opts = { workers: 1, determinismSamples: 0, programName: 'disk.s' };
    const whole = await fuzzFailover(program('disk.s'), opts);
    const parts = await Promise.all([1, 2].map((index) => fuzzFailover(program('disk.s'), { ...opts, shard: { index, count: 2 } })));
    const merged = mergeReports(parts.map((report, i) => ({ name: `p${i + 1}.json`, report: JSON.parse(JSON.stringify(report)) })));
    expect(merged.checked).toBe(whole.checked);
    expect(merged.itemsChecked).toEqual(whole.itemsChecked);
    expect(merged.coverage!.total).toEqual(whole.coverage!.total);
    expect(merged.coverage!.testedOps).toEqual(whole.coverage!.testedOps);
    expect(merged.failures).toEqual([]);
  });

  it('refuses parts that overlap, leave a gap, or come from different sweeps', async () => {
    const opts = { workers: 1, determinismSamples: 0, programName: 'hello.s' };
    const [a, b] = await Promise.all([1, 2].map((index) => fuzzFailover(program('hello.s'), { ...opts, shard: { index, count: 2 } })));
    const other = await fuzzFailover(program('hello.s'), { ...opts, seed: 2, shard: { index: 2, count: 2 } });
    const n = a!.caseList.items;
    expect(() => mergeReports([{ name: 'a', report: a }])).toThrow(
      `fuzz-merge: ${n - a!.itemsChecked.length} of ${n} case(s) are in no part (items 1`,
    );
    expect(() =>
      mergeReports([
        { name: 'a', report: a },
        { name: 'a2', report: a },
        { name: 'b', report: b },
      ]),
    ).toThrow(`fuzz-merge: ${a!.itemsChecked.length} case(s) are in more than one part (items 0`);
    expect(() =>
      mergeReports([
        { name: 'a', report: a },
        { name: 'c', report: other },
      ]),
    ).toThrow('fuzz-merge: c is of a different sweep than a (program, mode, seed or case list differ)');
    expect(() => mergeReports([{ name: 'x.json', report: { hello: 1 } }])).toThrow(
      "fuzz-merge: x.json is not a report of 'shadowvm fuzz --json'",
    );
  });
});
