/**
 * Where inputs run. `inline`: in this thread, one after another (the tests; a hang there is caught only
 * after the fact). `workers`: in worker threads with a heap ceiling (resourceLimits) and a watchdog that
 * terminates a worker whose input runs past the time limit, so that a hang or a memory blow-up is
 * recorded against its input and the campaign goes on with a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { packageRoot } from '../base/paths.js';
import { makeInput, type AnyKind } from './inputs.js';
import { executeInThread, type Outcome } from './execute.js';
import type { WorkerReply, WorkerRequest } from './worker.js';
import { scaledLimit, watchdog } from './watchdog.js';

export interface RunnerLimits {
  /** Wall-clock limit of one input, in ms, scaled by the load (watchdog.ts). */
  readonly timeoutMs: number;
  /** Heap ceiling of a worker, in MiB. */
  readonly heapMb: number;
}

export interface Ran {
  readonly index: number;
  /** Unknown when the worker was lost before it replied. */
  readonly kind?: AnyKind;
  readonly command?: string;
  readonly outcome: Outcome;
  readonly heapBytes: number;
}

/** dist/src/torture/worker.js, when built. */
export function workerScript(): string | undefined {
  const p = join(packageRoot(), 'dist', 'src', 'torture', 'worker.js');
  return existsSync(p) ? p : undefined;
}

/** Runs `indices` in this thread; `dirOf` names each input's scratch directory. */
export async function runInline(
  seed: number,
  indices: Iterable<number>,
  dirOf: (i: number) => string,
  limits: RunnerLimits,
  onRan: (r: Ran) => void,
): Promise<void> {
  for (const index of indices) {
    const input = makeInput(seed, index);
    const outcome = await executeInThread(input, dirOf(index));
    const timed = outcome.ms > scaledLimit(limits.timeoutMs) ? { ...outcome, timedOut: true } : outcome;
    onRan({ index, kind: input.kind, command: input.argv[0] ?? '', outcome: timed, heapBytes: getHeapStatistics().used_heap_size });
  }
}

/** Runs `indices` on `threads` workers with the watchdog; resolves when every input has an outcome. */
export function runOnWorkers(
  seed: number,
  indices: Iterator<number>,
  threads: number,
  dirOf: (i: number) => string,
  limits: RunnerLimits,
  onRan: (r: Ran) => void,
): Promise<void> {
  const script = workerScript();
  if (!script) throw new Error('torture: dist/ is not built (run `npm run build`): the worker threads need dist/src/torture/worker.js');
  return new Promise((resolve) => {
    let live = 0;
    const start = (): void => {
      const next = indices.next();
      if (next.done) {
        if (live === 0) resolve();
        return;
      }
      live++;
      launch(next.value);
    };
    const launch = (index: number, reuse?: Worker): void => {
      const w = reuse ?? new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: limits.heapMb } });
      const begun = performance.now();
      let settled = false;
      const finish = (r: Ran, keep: boolean): void => {
        if (settled) return;
        settled = true;
        cancel();
        // Only our own listeners: a Worker keeps internal ones (newListener) that deliver its messages.
        w.off('message', onMessage).off('error', onError).off('exit', onExit);
        onRan(r);
        if (!keep) void w.terminate();
        const next = indices.next();
        if (next.done) {
          if (keep) void w.terminate();
          if (--live === 0) resolve();
          return;
        }
        launch(next.value, keep ? w : undefined);
      };
      const lost = (extra: Partial<Outcome>, stderr: string): void =>
        finish({ index, heapBytes: 0, outcome: { code: -1, stdoutBytes: 0, stderr, ms: performance.now() - begun, ...extra } }, false);
      const cancel = watchdog(limits.timeoutMs, () => lost({ timedOut: true }, ''));
      const onMessage = (m: WorkerReply): void =>
        finish({ index: m.index, kind: m.kind, command: m.command, outcome: m.outcome, heapBytes: m.heapBytes }, true);
      const onError = (err: Error & { code?: string }): void =>
        err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? lost({ outOfMemory: true }, err.message) : lost({ thrown: err.stack ?? String(err) }, '');
      const onExit = (code: number): void => lost({ thrown: `worker exited with code ${code}` }, '');
      w.on('message', onMessage).on('error', onError).on('exit', onExit);
      const req: WorkerRequest = { seed, index, dir: dirOf(index) };
      w.postMessage(req);
    };
    for (let t = 0; t < threads; t++) start();
  });
}
