/**
 * Spreads engine work over worker threads. Workers run the compiled engine (dist/); where it is not
 * built (e.g. tests run from the TypeScript sources before a build) the work runs in this thread.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
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
  const results = await Promise.all(
    inputs.map(
      (input) =>
        new Promise<boolean>((resolve, reject) => {
          const w = new Worker(script, { workerData: input });
          let stopped = false;
          w.on('message', (m: { type: string; report?: CaseReport; stoppedByDeadline?: boolean; message?: string }) => {
            if (m.type === 'case') onCase(m.report!);
            else if (m.type === 'done') stopped = m.stoppedByDeadline ?? false;
            else if (m.type === 'error') reject(new Error(`fuzz worker failed: ${m.message}`));
          });
          w.on('error', reject);
          w.on('exit', (code) => (code === 0 ? resolve(stopped) : reject(new Error(`fuzz worker exited with code ${code}`))));
        }),
    ),
  );
  return { stoppedByDeadline: results.some(Boolean), threads: inputs.length };
}
