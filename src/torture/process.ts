/**
 * Runs one input through the real binary (bin/shadowvm.js) in a process of its own, with a time limit
 * and a heap ceiling: what only a process shows (an abort, a V8 fatal error, output after the exit
 * status, a hang on a stream) shows here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { packageRoot } from '../base/paths.js';
import type { Outcome } from './execute.js';
import { materialise } from './execute.js';
import type { TortureInput } from './inputs.js';

/** bin/shadowvm.js, when the package is built (it runs dist/). */
export function binary(): string | undefined {
  const bin = join(packageRoot(), 'bin', 'shadowvm.js');
  return existsSync(join(packageRoot(), 'dist', 'src', 'cli', 'main.js')) ? bin : undefined;
}

export interface ProcessLimits {
  readonly timeoutMs: number;
  readonly heapMb: number;
}

export function executeInProcess(input: TortureInput, dir: string, limits: ProcessLimits): Outcome {
  const bin = binary();
  if (!bin) throw new Error('torture: dist/ is not built (run `npm run build`) so bin/shadowvm.js cannot run');
  const argv = materialise(input, dir);
  const started = performance.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${limits.heapMb}`, bin, ...argv], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: limits.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
    env: { ...process.env, CI: '1' },
  });
  const ms = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  const signal = r.signal ? ((constants.signals as Record<string, number>)[r.signal] ?? 0) : 0;
  const timedOut = r.error !== undefined && /ETIMEDOUT/.test(String((r.error as NodeJS.ErrnoException).code));
  return {
    code: r.status ?? 128 + signal,
    stdoutBytes: r.stdout?.length ?? 0,
    stderr: (r.stderr?.toString('utf8') ?? '').slice(0, 4096),
    ms,
    ...(timedOut ? { timedOut } : {}),
    ...(r.error && !timedOut ? { thrown: `spawn: ${r.error.message}` } : {}),
  };
}
