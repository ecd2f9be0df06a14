/**
 * Spreads engine work over worker threads, each started with a memory ceiling (the V8 heap limit,
 * DEFAULTS.fuzzWorkerHeapMiB). A worker that exhausts it is ended by Node, never the host: the pool
 * reports the case it was running as a `resource` verdict with its replay line (resource.ts) and runs
 * the rest of that worker's share in a fresh worker. A run that passes a memory bound of the world (a
 * RESOURCE error, e.g. its console bound) is reported the same way, and the worker goes on. Workers run the compiled engine (dist/); where it is
 * not built (e.g. tests run from the TypeScript sources before a build) the work runs in this thread,
 * without a ceiling.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS } from '../base/defaults.js';
import { packageRoot } from '../base/paths.js';
import { runEngine, type CaseReport, type EngineInput } from './engine.js';
import { afterResource, type Started } from './resource.js';
import type { FuzzCase } from './case.js';

/** dist/src/fuzz/worker.js, found from this module whether it runs from src/ or dist/. */
export function workerScript(): string | undefined {
  const p = join(packageRoot(), 'dist', 'src', 'fuzz', 'worker.js');
  return existsSync(p) ? p : undefined;
}

export interface PoolOptions {
  /** Heap ceiling of each worker in MiB (default DEFAULTS.fuzzWorkerHeapMiB). */
  readonly heapMiB?: number;
}

export async function runPool(
  inputs: readonly EngineInput[],
  onCase: (r: CaseReport) => void,
  opts: PoolOptions = {},
): Promise<{ stoppedByDeadline: boolean; threads: number }> {
  const script = workerScript();
  if (!script) {
    let stopped = false;
    for (const input of inputs) stopped = runEngine(input, onCase).stoppedByDeadline || stopped;
    return { stoppedByDeadline: stopped, threads: 1 };
  }
  const heapMiB = opts.heapMiB ?? DEFAULTS.fuzzWorkerHeapMiB;
  const results = await Promise.all(inputs.map((input) => runShare(script, input, onCase, heapMiB)));
  return { stoppedByDeadline: results.some(Boolean), threads: inputs.length };
}

/** One worker's share, continued in a fresh worker after each case that runs out of memory. */
async function runShare(script: string, input: EngineInput, onCase: (r: CaseReport) => void, heapMiB: number): Promise<boolean> {
  let share: EngineInput | undefined = input;
  while (share) {
    const r = await runOnWorker(script, share, onCase, heapMiB);
    if (r.kind === 'done') return r.stoppedByDeadline;
    const { report, rest } = afterResource(share, r, r.why);
    onCase(report);
    share = share.stopAtFirstFailure ? undefined : rest;
  }
  return false;
}

/** Idle worker threads by heap ceiling, kept for the next sweep; unreferenced, so they never keep the process alive. */
const idle = new Map<number, Worker[]>();

type WorkerEnd =
  { kind: 'done'; stoppedByDeadline: boolean } | { kind: 'resource'; why: string; started: Started | undefined; reported: Set<number> };

interface WorkerMessage {
  type: string;
  report?: CaseReport;
  stoppedByDeadline?: boolean;
  message?: string;
  item?: number;
  case?: FuzzCase;
}

function runOnWorker(script: string, input: EngineInput, onCase: (r: CaseReport) => void, heapMiB: number): Promise<WorkerEnd> {
  const pool = idle.get(heapMiB) ?? [];
  idle.set(heapMiB, pool);
  const w = pool.pop() ?? new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: heapMiB } });
  w.ref();
  let started: Started | undefined;
  const reported = new Set<number>();
  return new Promise<WorkerEnd>((resolve, reject) => {
    const finish = (end: WorkerEnd | Error, keep: boolean): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      if (keep) {
        w.unref();
        pool.push(w);
      } else void w.terminate();
      if (end instanceof Error) reject(end);
      else resolve(end);
    };
    const onMessage = (m: WorkerMessage): void => {
      if (m.type === 'begin') started = { item: m.item!, case: m.case! };
      else if (m.type === 'case') {
        started = undefined;
        reported.add(m.report!.index);
        onCase(m.report!);
      } else if (m.type === 'done') finish({ kind: 'done', stoppedByDeadline: m.stoppedByDeadline ?? false }, true);
      else if (m.type === 'resource') finish({ kind: 'resource', why: m.message!, started, reported }, true);
      else if (m.type === 'error') finish(new Error(`fuzz worker failed: ${m.message}`), false);
    };
    const onError = (err: Error & { code?: string }): void =>
      finish(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { kind: 'resource', why: `the fuzz worker ran out of memory (heap ceiling ${heapMiB} MiB)`, started, reported }
          : err,
        false,
      );
    const onExit = (code: number): void => finish(new Error(`fuzz worker exited with code ${code}`), false);
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.postMessage(input);
  });
}
