import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  it('run draws the deferred-trap deliveries and drains of bare mode', async () => {
    const path = join(dir, 'mix.json');
    const r = await cli('run', programPath('mix.elf'), '--trace', path);
    expect(r.err).toBe('');
    const f = read(path);
    expect(traceProblems(f)).toEqual([]);
    const instants = f.traceEvents.filter((e) => e.ph === 'i');
    expect(instants.filter((e) => e.name === 'drain').length).toBeGreaterThan(0);
    expect(instants.filter((e) => e.name === 'deferred traps delivered').length).toBeGreaterThan(0);
  });

  it('demo leaves no file when the failure-free run does not halt; a replica group or --partition is refused', async () => {
    const path = join(dir, 'demo.json');
    const d = await cli('demo', '--max-instructions', '1000', '--trace', path);
    expect(d.code).toBe(69);
    expect(d.err).toContain('did not halt (budget reached: 1000 instructions');
    expect(existsSync(path)).toBe(false);
    const group = "a replica group (--backups, --rebackup-after, or a --fail-at with ',' or '@')";
    const p = await cli('pair', programPath('counter.elf'), '--backups', '2', '--trace', path);
    expect(p.code).toBe(64);
    expect(p.err.split('\n')[0]).toBe(`shadowvm pair: --trace cannot be used with ${group}: the trace draws one primary and one backup`);
    const g = await cli('pair', programPath('counter.elf'), '--backups', '2', '--gdb', '0');
    expect(g.err.split('\n')[0]).toBe(`shadowvm pair: --gdb cannot be used with ${group}: the stub debugs one primary and one backup`);
    const b = await cli('demo', '--backups', '2', '--trace', path);
    expect(b.err.split('\n')[0]).toBe(`shadowvm demo: --trace cannot be used with ${group}: the trace draws one primary and one backup`);
    const q = await cli('demo', '--partition', '--trace', path);
    expect(q.code).toBe(64);
    expect(q.err.split('\n')[0]).toBe('shadowvm demo: --trace cannot be used with --partition: the trace draws the failover story only');
    expect(existsSync(path)).toBe(false);
  });
});
