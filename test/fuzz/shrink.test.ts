/**
 * Schedule shrinking: a planted bug's failure found by a random campaign shrinks to a case in the default
 * configuration (with at most one epoch cut) whose replay line reproduces it, and a campaign reports its
 * shrunk case next to the original, the same every time.
 */
import { describe, expect, it } from 'vitest';
import { shrinkCase } from '../../src/fuzz/shrink.js';
import { fuzzFailover } from '../../src/fuzz/fuzz.js';
import { DEFAULT_CASE_CONFIG } from '../../src/fuzz/reference.js';
import type { FuzzCase } from '../../src/fuzz/case.js';
import { PROGRAMS } from '../../scripts/build-programs.js';
import { program, programPath } from '../programs.js';
import { cli } from '../cli/helpers.js';

const noReissue = `${PROGRAMS.find((p) => p.planted === 'no reissue of a WRITE')!.name}.elf`;

/** The earliest failing case of `fuzz NO-REISSUE-GUEST --runs 100 --seed 1`: four configuration values away from the defaults. */
const randomFailure: FuzzCase = {
  seed: 3338846575,
  epochLength: 4581,
  trapDelayMax: 25,
  channelCapacity: 1024,
  backupPace: 0.2,
  drainEndsEpoch: false,
  fail: 'primary',
  point: { kind: 'event', n: 24 },
  outstanding: 'seeded',
};

describe('shrinkCase', () => {
  it("shrinks a planted bug's random failure to the default configuration, with its replay line", async () => {
    const env = { maxInstructions: 1_000_000, flaws: [] };
    const r = shrinkCase(program(noReissue), randomFailure, env, programPath(noReissue), { base: DEFAULT_CASE_CONFIG, maxRuns: 200 })!;
    const { fail, point, outstanding, cuts, ...config } = r.case;
    expect(config).toEqual(DEFAULT_CASE_CONFIG);
    // The window is open only with the cut: the exhaustive sweep's schedule case for the WRITE in flight.
    expect(cuts).toHaveLength(1);
    expect([fail, point.kind, outstanding]).toEqual(['primary', 'epoch', 'dropped']);
    expect(r.exhausted).toBe(false);
    expect(r.steps).toBeGreaterThan(0);
    expect(r.replay).toMatch(/ --epoch-cut \d+ --fail-at epoch:\d+ --outstanding dropped$/);
    expect(r.violations.map((v) => v.oracle)).toContain('console');
    const again = await cli(...r.replay.replace(/^npx shadowvm /, '').split(' '));
    expect(again.code).toBe(1);
    expect(again.out).toContain(`: ${r.violations[0]!.oracle}: ${r.violations[0]!.detail}`);
  }, 60_000);

  it('stops at its run budget, saying so, and gives back undefined for a case that does not fail', () => {
    const env = { maxInstructions: 1_000_000, flaws: ['mid-epoch-delivery' as const] };
    const failing: FuzzCase = { ...randomFailure, point: { kind: 'event', n: 4 } };
    const r = shrinkCase(program('disk.s'), failing, env, 'P', { base: DEFAULT_CASE_CONFIG, maxRuns: 2 })!;
    expect(r.runs).toBe(2);
    expect(r.exhausted).toBe(true);
    expect(shrinkCase(program('disk.s'), failing, { ...env, flaws: [] }, 'P', { base: DEFAULT_CASE_CONFIG, maxRuns: 10 })).toBeUndefined();
  });
});

describe('a failing campaign reports its earliest case shrunk', () => {
  it('next to the original, the same on every run (the API and the command line agree), and not with shrink: false', async () => {
    const opts = { runs: 3, seed: 1, workers: 1, determinismSamples: 0, programName: 'disk.s', flaws: ['mid-epoch-delivery' as const] };
    const a = await fuzzFailover(program('disk.s'), opts);
    expect(a.shrunk!.from).toBe(a.earliest!.replay);
    expect(a.shrunk!.replay).toMatch(
      /^npx shadowvm fuzz disk\.s --seed 1 --epoch 4096 --trap-delay 16 --channel-capacity 1024 --backup-pace 1 /,
    );
    expect(a.shrunk!.oracle).toBe('digests');
    const text = await cli('fuzz', programPath('disk.s'), '--runs', '3', '--seed', '1', '--workers', '1', '--flaw', 'mid-epoch-delivery');
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^shrunk \(\d+ simplification\(s\) in \d+ runs, [\d.]+ s\): primary at event:\d+: digests: /m);
    expect(text.out).toContain(`shrunk replay: ${a.shrunk!.replay.replace('disk.s', programPath('disk.s'))}\n`);
    const off = await fuzzFailover(program('disk.s'), { ...opts, shrink: false });
    expect(off.shrunk).toBeUndefined();
  }, 60_000);
});
