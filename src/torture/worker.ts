/** A campaign worker thread: builds each input it is sent from (seed, index), runs it in-process, posts the outcome. */
import { parentPort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { makeInput, type AnyKind } from './inputs.js';
import { executeInThread, type Outcome } from './execute.js';

export interface WorkerRequest {
  readonly seed: number;
  readonly index: number;
  readonly dir: string;
}

export interface WorkerReply {
  readonly index: number;
  readonly kind: AnyKind;
  /** The command (argv[0]). */
  readonly command: string;
  readonly outcome: Outcome;
  /** This thread's heap in use after the input, in bytes. */
  readonly heapBytes: number;
}

parentPort?.on('message', (req: WorkerRequest) => {
  void (async () => {
    const input = makeInput(req.seed, req.index);
    const outcome = await executeInThread(input, req.dir);
    const reply: WorkerReply = {
      index: req.index,
      kind: input.kind,
      command: input.argv[0] ?? '',
      outcome,
      heapBytes: getHeapStatistics().used_heap_size,
    };
    parentPort!.postMessage(reply);
  })();
});
