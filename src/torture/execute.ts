/**
 * Runs one input: its files written into a directory of its own, its command line through the CLI's
 * `main(argv, io)` in this thread (or through bin/shadowvm.js in a process of its own: process.ts). What it
 * printed is kept only in part: the byte count of stdout and the first few KiB of stderr.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import type { CliIo } from '../cli/command.js';
import type { TortureInput } from './inputs.js';

/** What one execution produced. */
export interface Outcome {
  /** The exit status (for a process killed by a signal, 128 + the signal number). */
  readonly code: number;
  readonly stdoutBytes: number;
  /** The start of what was written to stderr. */
  readonly stderr: string;
  readonly ms: number;
  /** An exception that escaped `main` (which promises never to throw), with its stack. */
  readonly thrown?: string;
  /** The process ran past its time limit and was killed. */
  readonly timedOut?: boolean;
  /** The worker ran past its heap ceiling. */
  readonly outOfMemory?: boolean;
}

const STDERR_KEEP = 4096;

/** The input's command line with its placeholders replaced by real paths under `dir`. */
export function realArgv(input: TortureInput, dir: string): string[] {
  return input.argv.map((a) =>
    a.replace(/^@dir/, dir).replace(/^@(\d+)$/, (_, n: string) => join(dir, input.files[Number(n)]?.name ?? 'missing')),
  );
}

/** Writes the input's files into `dir` (created) and returns the real command line. */
export function materialise(input: TortureInput, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  for (const f of input.files) writeFileSync(join(dir, f.name), f.bytes);
  return realArgv(input, dir);
}

/** Runs the input through `main` in this thread; its directory is `dir`, removed afterwards. */
export async function executeInThread(input: TortureInput, dir: string): Promise<Outcome> {
  const argv = materialise(input, dir);
  let stdoutBytes = 0;
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdoutBytes += t.length),
    stderr: (t) => void (stderr.length < STDERR_KEEP && (stderr += t.slice(0, STDERR_KEEP - stderr.length))),
    isTTY: false,
  };
  const started = performance.now();
  let code: number;
  let thrown: string | undefined;
  try {
    code = await main(argv, io);
  } catch (err) {
    code = -1;
    thrown = (err as Error)?.stack ?? String(err);
  }
  const ms = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  return { code, stdoutBytes, stderr, ms, ...(thrown !== undefined ? { thrown } : {}) };
}
