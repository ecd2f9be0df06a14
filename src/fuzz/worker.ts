/** A fuzz worker thread: runs the engine on the work it is given and posts one message per case. */
import { parentPort, workerData } from 'node:worker_threads';
import { runEngine, type EngineInput } from './engine.js';

if (parentPort) {
  const port = parentPort;
  const input = workerData as EngineInput;
  try {
    const r = runEngine(input, (c) => port.postMessage({ type: 'case', report: c }));
    port.postMessage({ type: 'done', stoppedByDeadline: r.stoppedByDeadline });
  } catch (err) {
    port.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
}
