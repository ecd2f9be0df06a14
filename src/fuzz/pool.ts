/**
 * Spreads engine work over worker threads. Workers run the compiled engine (dist/); where it is not
 * built (e.g. tests run from the TypeScript sources before a build) the work runs in this thread.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../base/paths.js';
import { runEngine, type CaseReport, type EngineInput } from './engine.js';

/** dist/src/fuzz/worker.js, found from this module whether it runs from src/ or dist/. */
export function workerScript(): string | undefined {
  const p = join(packageRoot(), 'dist', 'src', 'fuzz', 'worker.js');
  return existsSync(p) ? p : undefined;
}

export async function runPool(inputs: readonly EngineInput[], onCase: (r: CaseReport) => void): Promise<{ stoppedByDeadline: boolean; threads: number }> {
  const script = inputs.length > 1 ? workerScript() : undefined;
  if (!script) {
    let stopped = false;
    for (const input of inputs) stopped = runEngine(input, onCase).stoppedByDeadline || stopped;
    return { stoppedByDeadline: stopped, threads: 1 };
  }
  const results = await Promise.all(inputs.map((input) => runOnWorker(script, input, onCase)));
  return { stoppedByDeadline: results.some(Boolean), threads: inputs.length };
}

/** Idle worker threads, kept for the next sweep; unreferenced, so they never keep the process alive. */
const idle: Worker[] = [];

function runOnWorker(script: string, input: EngineInput, onCase: (r: CaseReport) => void): Promise<boolean> {
  const w = idle.pop() ?? new Worker(script);
  w.ref();
  return new Promise<boolean>((resolve, reject) => {
    const finish = (err: Error | undefined, stopped = false): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      if (err) {
        void w.terminate();
        reject(err);
        return;
      }
      w.unref();
      idle.push(w);
      resolve(stopped);
    };
    const onMessage = (m: { type: string; report?: CaseReport; stoppedByDeadline?: boolean; message?: string }): void => {
      if (m.type === 'case') onCase(m.report!);
      else if (m.type === 'done') finish(undefined, m.stoppedByDeadline ?? false);
      else if (m.type === 'error') finish(new Error(`fuzz worker failed: ${m.message}`));
    };
    const onError = (err: Error): void => finish(err);
    const onExit = (code: number): void => finish(new Error(`fuzz worker exited with code ${code}`));
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.postMessage(input);
  });
}
