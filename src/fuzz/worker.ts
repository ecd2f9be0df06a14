/**
 * A fuzz worker thread: runs the engine on each piece of work it is sent and posts one message per case,
 * then `done`. Before each case it posts `begin`, so that the pool can name the case if this thread runs
 * out of memory (the pool sets its heap ceiling) or a run passes a memory bound (`resource`). It stays alive between pieces (the pool keeps it,
 * unreferenced, while idle), so a test suite that fuzzes many programs pays for starting and warming up
 * a thread once.
 */
import { parentPort } from 'node:worker_threads';
import { runEngine, type EngineInput } from './engine.js';
import { ShadowError } from '../base/errors.js';

if (parentPort) {
  const port = parentPort;
  port.on('message', (input: EngineInput) => {
    try {
      const r = runEngine(
        input,
        (c) => port.postMessage({ type: 'case', report: c }),
        (item, c) => port.postMessage({ type: 'begin', item, case: c }),
      );
      port.postMessage({ type: 'done', stoppedByDeadline: r.stoppedByDeadline });
    } catch (err) {
      // A run past a memory bound of the host (the world's console bound): a verdict on that case, not a crash.
      if (err instanceof ShadowError && err.code === 'RESOURCE') port.postMessage({ type: 'resource', message: err.message });
      else port.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) });
    }
  });
}
