/**
 * Runs one input through the real binary (bin/shadowvm.js) in a process of its own, with a time limit
 * and a heap ceiling: what only a process shows (an abort, a V8 fatal error, output after the exit
 * status, a hang on a stream) shows here. `executeInProcess` waits for the process; `ProcessQueue` runs
 * several at once, beside the in-process campaign.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { packageRoot } from '../base/paths.js';
import type { Outcome } from './execute.js';
import { materialise } from './execute.js';
import type { TortureInput } from './inputs.js';
import { scaledLimit, watchdog } from './watchdog.js';

/** bin/shadowvm.js, when the package is built (it runs dist/). */
export function binary(): string | undefined {
  const bin = join(packageRoot(), 'bin', 'shadowvm.js');
  return existsSync(join(packageRoot(), 'dist', 'src', 'cli', 'main.js')) ? bin : undefined;
}

export interface ProcessLimits {
  readonly timeoutMs: number;
  readonly heapMb: number;
}

const STDERR_KEEP = 4096;

/**
 * The node command line of an input's process, its files written into `dir`. An argument holding a NUL
 * byte is cut there, as `execve`'s C strings cut it: no process can be given the byte itself (Node's
 * spawn refuses such an argument), while `main` in a thread does get the whole string.
 */
export function commandLine(input: TortureInput, dir: string, limits: ProcessLimits): string[] {
  const bin = binary();
  if (!bin) throw new Error('torture: dist/ is not built (run `npm run build`) so bin/shadowvm.js cannot run');
  const argv = materialise(input, dir).map((arg) => arg.split('\0', 1)[0]!);
  return [`--max-old-space-size=${limits.heapMb}`, bin, ...argv];
}

const OPTIONS = (dir: string) => ({ cwd: dir, env: { ...process.env, CI: '1' } });

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? ((constants.signals as Record<string, number>)[signal] ?? 0) : 0;
}

export function executeInProcess(input: TortureInput, dir: string, limits: ProcessLimits): Outcome {
  const args = commandLine(input, dir, limits);
  const started = performance.now();
  const r = spawnSync(process.execPath, args, {
    ...OPTIONS(dir),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: scaledLimit(limits.timeoutMs),
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
  });
  const ms = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  const timedOut = r.error !== undefined && /ETIMEDOUT/.test(String((r.error as NodeJS.ErrnoException).code));
  return {
    code: r.status ?? 128 + signalNumber(r.signal),
    stdoutBytes: r.stdout?.length ?? 0,
    stderr: (r.stderr?.toString('utf8') ?? '').slice(0, STDERR_KEEP),
    ms,
    ...(timedOut ? { timedOut } : {}),
    ...(r.error && !timedOut ? { thrown: `spawn: ${r.error.message}` } : {}),
  };
}

/** As `executeInProcess`, without blocking this thread: the process is killed (SIGKILL) at the time limit (scaled by the load). */
export function executeInProcessAsync(input: TortureInput, dir: string, limits: ProcessLimits): Promise<Outcome> {
  const args = commandLine(input, dir, limits);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { ...OPTIONS(dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    let failed: Error | undefined;
    child.stdout.on('data', (b: Buffer) => void (stdoutBytes += b.length));
    child.stderr.on('data', (b: Buffer) => void (stderr.length < STDERR_KEEP && (stderr += b.toString('utf8'))));
    const cancel = watchdog(limits.timeoutMs, () => {
      timedOut = true;
      child.kill('SIGKILL');
    });
    child.on('error', (err) => void (failed = err));
    child.on('close', (code, signal) => {
      cancel();
      rmSync(dir, { recursive: true, force: true });
      resolve({
        code: code ?? 128 + signalNumber(signal),
        stdoutBytes,
        stderr: stderr.slice(0, STDERR_KEEP),
        ms: performance.now() - started,
        ...(timedOut ? { timedOut } : {}),
        ...(failed && !timedOut ? { thrown: `spawn: ${failed.message}` } : {}),
      });
    });
  });
}

/** Runs inputs through bin/shadowvm.js, at most `concurrency` processes at once, in the order they were added. */
export class ProcessQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  /** Queues an input (built when its turn comes, so that a long queue holds no files); `done` gets its outcome. */
  add(input: () => TortureInput, dir: string, limits: ProcessLimits, done: (o: Outcome) => void): void {
    this.waiting.push(async () => {
      const started = performance.now();
      let outcome: Outcome;
      try {
        outcome = await executeInProcessAsync(input(), dir, limits);
      } catch (err) {
        outcome = { code: -1, stdoutBytes: 0, stderr: '', ms: performance.now() - started, thrown: (err as Error)?.stack ?? String(err) };
      }
      done(outcome);
    });
    this.pump();
  }

  /** Resolves once every queued input has run. */
  drained(): Promise<void> {
    return this.running === 0 && this.waiting.length === 0 ? Promise.resolve() : new Promise((r) => this.idle.push(r));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length) {
      const job = this.waiting.shift()!;
      this.running++;
      void job().finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.waiting.length === 0) for (const r of this.idle.splice(0)) r();
      });
    }
  }
}
