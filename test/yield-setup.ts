/**
 * Every test starts on a fresh turn of the event loop. vitest awaits a synchronous test without leaving
 * the microtask queue, so a file of synchronous tests (gcc and GNU as in child processes, long sweeps run
 * in this thread) holds the worker's event loop for their whole sum. vitest's messages between the worker
 * and the main process time out after 60 s, and on a loaded machine that failed whole runs whose every
 * test had passed ('Timeout calling "onTaskUpdate"'). One setImmediate per test lets the replies in.
 */
import { beforeEach } from 'vitest';

beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
