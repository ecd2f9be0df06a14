/**
 * The short campaign in `npm test` (issue 17): a few dozen inputs of a fixed seed through `main`, none of
 * which may crash the host or run past its bounds; the watchdog and a process sample where dist/ is built.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCampaign, suspicious } from '../../src/torture/campaign.js';
import type { Outcome } from '../../src/torture/execute.js';
import { MAX_LOAD_FACTOR } from '../../src/torture/watchdog.js';
import { workerScript } from '../../src/torture/runner.js';
import { ProcessQueue, binary, commandLine, executeInProcess } from '../../src/torture/process.js';
import { makeInput } from '../../src/torture/inputs.js';
import { classify } from '../../src/torture/classify.js';

const replayDir = mkdtempSync(join(tmpdir(), 'torture-test-'));
afterAll(() => rmSync(replayDir, { recursive: true, force: true }));

describe('the short campaign', () => {
  it('seed 1, 30 inputs in-process: no host crash, no run past its bounds', async () => {
    const r = await runCampaign({ seed: 1, count: 30, workers: 0, timeoutMs: 30_000, heapMb: 1024, processEvery: 0, replayDir });
    expect(r.failures.map((f) => `${f.index}: ${f.why}\n  ${f.replay?.binary}`)).toEqual([]);
    expect(r.inputs).toBe(30);
    const total = Object.values(r.byClass).reduce((a, b) => a + b, 0);
    expect(total).toBe(30);
    // The mix reaches past argument parsing: guests ran, faulted or hit their budget.
    expect(r.byClass['clean-error']).toBeGreaterThan(0);
    expect(r.byClass.ran + r.byClass.budget + r.byClass['guest-fault']).toBeGreaterThan(5);
  }, 300_000);

  it.skipIf(!workerScript())(
    'a worker thread runs input after input (the same thread, reused)',
    async () => {
      const r = await runCampaign({ seed: 1, count: 4, workers: 1, timeoutMs: 60_000, heapMb: 512, processEvery: 0, replayDir });
      expect(r.failures.map((f) => `${f.index}: ${f.why}`)).toEqual([]);
      expect(Object.values(r.byClass).reduce((a, b) => a + b, 0)).toBe(4);
      expect(r.peakHeapBytes).toBeGreaterThan(0);
    },
    120_000,
  );

  it.skipIf(!workerScript())(
    'the watchdog ends an input past its time limit, saves it for replay, and goes on',
    async () => {
      const r = await runCampaign({ seed: 2, count: 0, only: [4, 5], workers: 1, timeoutMs: 1, heapMb: 256, processEvery: 0, replayDir });
      expect(r.failures.map((f) => [f.index, f.cls])).toEqual([
        [4, 'overrun'],
        [5, 'overrun'],
      ]);
      for (const f of r.failures) expect(f.why).toMatch(/^ran past its time limit \(\d+\.\d s\)$/);
      const saved = r.failures[0]!.replay!;
      expect(saved.campaign).toBe('npm run torture -- --seed 2 --only 4');
      expect(saved.binary).toMatch(/^node \S*bin\/shadowvm\.js /);
      expect(readFileSync(join(saved.dir, 'README.txt'), 'utf8')).toContain('ran past its time limit');
      expect(JSON.parse(readFileSync(join(saved.dir, 'argv.json'), 'utf8'))[0]).toBe(makeInput(2, 4).argv[0]);
    },
    60_000,
  );

  it.skipIf(!binary())(
    'a sample through bin/shadowvm.js classifies as in-process, waited for or queued',
    async () => {
      const limits = { timeoutMs: 60_000, heapMb: 1024 };
      const sync = classify(executeInProcess(makeInput(1, 3), join(replayDir, 'p3'), limits));
      expect(['clean-error', 'guest-fault', 'budget', 'ran']).toContain(sync.cls);
      const queue = new ProcessQueue(1);
      const seen: number[] = [];
      for (const index of [3, 0])
        queue.add(
          () => makeInput(1, index),
          join(replayDir, `q${index}`),
          limits,
          (o) => void seen.push(o.code),
        );
      await queue.drained();
      expect(seen.length).toBe(2);
      expect(classify({ code: seen[0]!, stdoutBytes: 0, stderr: 'x', ms: 0 }).cls).toBe(sync.cls);
    },
    120_000,
  );

  it.skipIf(!binary())('an argument with a NUL byte reaches the process cut at the NUL, as execve cuts it (it threw in spawn)', () => {
    const input = { seed: 0, index: 0, kind: 'flags' as const, files: [], argv: ['asm', '--bogus\u0000x'] };
    expect(commandLine(input, join(replayDir, 'nul'), { timeoutMs: 1, heapMb: 64 }).slice(2)).toEqual(['asm', '--bogus']);
    const o = executeInProcess(input, join(replayDir, 'nul'), { timeoutMs: 60_000, heapMb: 256 });
    expect([o.code, o.thrown]).toEqual([64, undefined]);
  });

  it('sends an input to a process of its own when it fails, exits 70 or on a signal, or is slow', () => {
    const ok: Outcome = { code: 0, stdoutBytes: 0, stderr: '', ms: 10 };
    expect(suspicious(ok, 'ran', 1000)).toBe(false);
    expect(suspicious(ok, 'crash', 1000)).toBe(true);
    expect(suspicious(ok, 'overrun', 1000)).toBe(true);
    expect(suspicious(ok, 'known-crash', 1000)).toBe(true);
    expect(suspicious({ ...ok, code: 70 }, 'ran', 1000)).toBe(true);
    expect(suspicious({ ...ok, code: 134 }, 'ran', 1000)).toBe(true);
    expect(suspicious({ ...ok, ms: 1000 * MAX_LOAD_FACTOR }, 'ran', 1000)).toBe(true);
  });
});
