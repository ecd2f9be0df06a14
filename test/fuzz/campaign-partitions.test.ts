import { describe, expect, it } from 'vitest';
import { fuzzFailover } from '../../src/fuzz/fuzz.js';
import { campaignPartition, countCampaignPartitions } from '../../src/fuzz/campaign-partitions.js';
import { summaryTable } from '../../src/fuzz/summary.js';
import { DEFAULTS } from '../../src/base/defaults.js';
import { program } from '../programs.js';

const runs = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('random campaigns draw partition cases', () => {
  it('1 run in DEFAULTS.campaignPartitionOneIn, from the seed alone, either side losing', () => {
    expect(DEFAULTS.campaignPartitionOneIn).toBe(4);
    const n = countCampaignPartitions(99, runs(4000));
    expect(n).toBeGreaterThan(900);
    expect(n).toBeLessThan(1100);
    expect(countCampaignPartitions(99, runs(4000))).toBe(n);
    const losers = runs(400).flatMap((i) => campaignPartition(99, i)?.loser ?? []);
    expect(new Set(losers)).toEqual(new Set(['primary', 'backup']));
    expect(runs(12).filter((i) => campaignPartition(2, i))).toEqual([0, 1, 4, 8]);
  });

  it('the report counts them, and --flaw no-fencing is caught by a partition case', async () => {
    const r = await fuzzFailover(program('disk.s'), { runs: 12, seed: 2, workers: 1, flaws: ['no-fencing'], shrink: false });
    expect(r.caseList).toMatchObject({ items: 12, partitions: 4 });
    expect(summaryTable(r)).toContain('; 4 of the 12 random cases are partitions;');
    const caught = r.failures.filter((f) => f.oracle === 'fencing' || f.oracle === 'single-primary');
    expect(caught.length).toBeGreaterThan(0);
    expect(caught.every((f) => f.point.startsWith('partition@event:'))).toBe(true);
    const clean = await fuzzFailover(program('disk.s'), { runs: 12, seed: 2, workers: 1, shrink: false });
    expect(clean.failures).toEqual([]);
    const none = await fuzzFailover(program('disk.s'), { runs: 4, seed: 2, workers: 1, partitions: false, shrink: false });
    expect(none.caseList.partitions).toBeUndefined();
  }, 120_000);
});
