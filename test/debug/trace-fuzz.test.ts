import { describe, expect, it } from 'vitest';
import { traceFuzzCase } from '../../src/debug/trace-fuzz.js';
import { traceFile } from '../../src/debug/trace-write.js';
import { DEFAULT_CASE_CONFIG } from '../../src/fuzz/reference.js';
import { parseFailurePoint } from '../../src/ft/failure-point.js';
import type { FuzzCase } from '../../src/fuzz/case.js';
import { program } from '../programs.js';
import { traceProblems } from './trace-check.js';

const c: FuzzCase = { ...DEFAULT_CASE_CONFIG, fail: 'primary', point: parseFailurePoint('event:40'), outstanding: 'dropped' };
const steps = (flaws: Parameters<typeof traceFuzzCase>[2]['flaws']): string[] => {
  const f = traceFile(traceFuzzCase(program('counter.elf'), c, { maxInstructions: 250_000, flaws }), 'fuzz', 'counter.elf');
  expect(traceProblems(f)).toEqual([]);
  return f.traceEvents.filter((e) => /^3\d\d /.test(e.name)).map((e) => e.name);
};

describe('fuzz --fail-at --trace', () => {
  it("shows the case's takeover, and what a flawed monitor leaves out", () => {
    const good = steps([]);
    expect(good.map((s) => s.slice(0, 3))).toEqual(['306', '308', '312', '314', '318', '320']);
    expect(good[3]).toBe('314 DISCONNECTED for 2 device(s)');
    // Without DISCONNECTED records the guest is never told to reissue: no step 320.
    const flawed = steps(['no-disconnect']);
    expect(flawed.map((s) => s.slice(0, 3))).toEqual(['306', '308', '312', '314', '318']);
    expect(flawed[3]).toBe('314 DISCONNECTED for 0 device(s)');
  });
});
