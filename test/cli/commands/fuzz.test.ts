import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { programPath } from '../../programs.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-fuzz-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shadowvm fuzz: seed, coverage, --bail, exit codes', () => {
  it('shows the seed and the window coverage in text and --json', async () => {
    const r = await cli('fuzz', programPath('hello.s'), '--workers', '1', '--seed', '5');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^fuzz \S+hello\.s: exhaustive, seed 5, 1 worker\(s\)/);
    expect(r.out).toMatch(/^window coverage \(operations of the failure-free run whose window a case opened\):$/m);
    expect(r.out).toMatch(/^total +\d+ /m);
    const j = JSON.parse((await cli('fuzz', programPath('hello.s'), '--workers', '1', '--seed', '5', '--json')).out);
    expect(j.seed).toBe(5);
    expect(j.coverage.windows).toEqual(['in-flight/performed', 'in-flight/dropped', 'completed', 'delivered']);
    expect(j.coverage.total.opened).toBe(j.coverage.total.possible);
    expect(j.caseList.items).toBe(j.itemsChecked.length);
  });

  it('--bail stops at the first violation, with the earliest failure and its replay line', async () => {
    const all = JSON.parse((await cli('fuzz', programPath('disk.s'), '--workers', '1', '--flaw', 'mid-epoch-delivery', '--json')).out);
    const r = await cli('fuzz', programPath('disk.s'), '--workers', '1', '--flaw', 'mid-epoch-delivery', '--bail');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^\d+ violation\(s\) found$/m);
    expect(r.out.split('\n').filter((l) => l.startsWith('npx shadowvm fuzz'))).toHaveLength(1); // one failing case
    expect(r.out).toMatch(/^replay: npx shadowvm fuzz \S+disk\.s --seed 1 .*--flaw mid-epoch-delivery$/m);
    expect(all.failures.length).toBeGreaterThan(1);
  });

  it('a guest that does not halt even without a failure exits with the budget status and says so', async () => {
    const loop = join(dir, 'loop.s');
    writeFileSync(loop, 'loop: j loop\n');
    const r = await cli('fuzz', loop, '--max-instructions', '10000');
    expect(r.code).toBe(69);
    expect(r.err).toBe(
      `fuzz: the failure-free run of ${loop} ran out of its instruction budget (10000 instructions), so no failure point was checked; see: shadowvm pair ${loop}\n`,
    );
  });

  it('replays a schedule case from its --epoch-cut, and refuses a bad one', async () => {
    const r = await cli('fuzz', programPath('hello.s'), '--epoch-cut', '40', '--fail-at', 'epoch:1', '--outstanding', 'dropped');
    expect(r.code).toBe(0);
    const bad = await cli('fuzz', programPath('hello.s'), '--epoch-cut', '0,x');
    expect(bad.code).toBe(64);
    expect(bad.err).toContain("--epoch-cut: expected instruction counts >= 1 separated by commas, got '0,x'");
  });
});

describe('shadowvm fuzz-merge', () => {
  it('merges shards into the whole sweep (exit 0) and refuses parts that do not add up (exit 65)', async () => {
    const parts = [] as string[];
    for (const i of [1, 2]) {
      const r = await cli('fuzz', programPath('hello.s'), '--workers', '1', '--shard', `${i}/2`, '--json');
      const p = join(dir, `p${i}.json`);
      writeFileSync(p, r.out);
      parts.push(p);
    }
    const whole = JSON.parse((await cli('fuzz', programPath('hello.s'), '--workers', '1', '--json')).out);
    const merged = await cli('fuzz-merge', ...parts, '--json');
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.out).checked).toBe(whole.checked);
    const text = await cli('fuzz-merge', ...parts);
    expect(text.out).toContain('every check held');
    const gap = await cli('fuzz-merge', parts[0]!);
    expect(gap.code).toBe(65);
    expect(gap.err).toMatch(/fuzz-merge: \d+ of \d+ case\(s\) are in no part/);
    expect((await cli('fuzz-merge')).code).toBe(64);
    expect((await cli('fuzz-merge', join(dir, 'missing.json'))).code).toBe(66);
    // The same merge as a flag of fuzz: the same output, the same refusals.
    expect((await cli('fuzz', '--merge', ...parts, '--json')).out).toBe(merged.out);
    expect((await cli('fuzz', '--merge', ...parts)).out).toBe(text.out);
    const flagGap = await cli('fuzz', '--merge', parts[0]!);
    expect([flagGap.code, flagGap.err]).toEqual([gap.code, gap.err]);
    const mixed = await cli('fuzz', '--merge', ...parts, '--runs', '3');
    expect(mixed.code).toBe(64);
    expect(mixed.err).toContain('shadowvm fuzz: --merge takes only PART.json files and --json, not --runs\n');
  });
});

describe('shadowvm fuzz --runs: window coverage in a random campaign', () => {
  it('reports it in text and --json, with the windows no case opened', async () => {
    const r = await cli('fuzz', programPath('disk.s'), '--runs', '4', '--seed', '3', '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^window coverage \(operations of the failure-free run whose window a case opened\):$/m);
    expect(r.out).toMatch(/^total +9 /m);
    expect(r.out).toContain(
      "(a campaign's cases have their own configurations: operations are matched by id with the failure-free run above)",
    );
    const j = JSON.parse((await cli('fuzz', programPath('disk.s'), '--runs', '4', '--seed', '3', '--workers', '1', '--json')).out);
    expect(j.mode).toBe('campaign');
    expect(j.coverage.total.ops).toBe(9);
    expect(j.coverage.total.opened + j.coverage.untested.filter((u: { impossible: boolean }) => !u.impossible).length).toBe(
      j.coverage.total.possible,
    );
    expect(j.coverage.total.opened).toBeGreaterThan(0);
    for (const u of j.coverage.untested.filter((x: { impossible: boolean }) => !x.impossible)) {
      expect(u.reason).toBe('not opened by any case of this random campaign (the exhaustive sweep opens every possible window)');
    }
  });
});
