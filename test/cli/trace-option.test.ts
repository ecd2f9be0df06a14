import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers.js';
import { programPath } from '../programs.js';
import type { TraceFile } from '../../src/debug/trace-format.js';
import { traceProblems } from '../debug/trace-check.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (path: string): TraceFile => JSON.parse(readFileSync(path, 'utf8')) as TraceFile;

describe('--trace FILE.json', () => {
  it('run: one track, with the I/O operations from issue to delivery', async () => {
    const path = join(dir, 'run.json');
    const r = await cli('run', programPath('counter.elf'), '--trace', path);
    expect(r.code).toBe(47);
    expect(r.err).toBe('');
    const f = read(path);
    expect(traceProblems(f)).toEqual([]);
    expect(f.otherData).toMatchObject({ command: 'run', clock: 'instructions retired by the computer (1 instruction = 1 us)' });
    expect(new Set(f.traceEvents.map((e) => e.tid))).toEqual(new Set([1]));
    expect(f.traceEvents.filter((e) => e.ph === 'e').length).toBeGreaterThan(10);
  });

  it('refuses a file it cannot write before running, and --trace without --fail-at on fuzz', async () => {
    const r = await cli('pair', programPath('counter.elf'), '--trace', join(dir, 'no/such/dir.json'));
    expect(r.code).toBe(66);
    expect(r.err).toBe(`cannot write the trace '${join(dir, 'no/such/dir.json')}': ENOENT\n`);
    const f = await cli('fuzz', programPath('counter.elf'), '--trace', join(dir, 'f.json'));
    expect(f.code).toBe(64);
    expect(f.err.split('\n')[0]).toBe('shadowvm fuzz: --trace needs --fail-at: a trace shows one run');
  });
});
