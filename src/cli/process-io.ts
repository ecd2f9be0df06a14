/** The CliIo of the real process: its streams, what is a terminal, NO_COLOR, one line reader over stdin. */
import { isatty } from 'node:tty';
import type { CliIo } from './command.js';
import { LineReader } from './line-reader.js';
import { readAllStdin } from './read-stdin.js';

/** Colour per https://no-color.org: a terminal, NO_COLOR unset or empty, and a terminal that is not "dumb". */
export function colorAllowed(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean {
  return stdoutIsTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function processIo(): CliIo {
  // fd 0 is tested with isatty rather than process.stdin, so that a command that reads stdin synchronously
  // (`-`, the console) never makes Node switch the pipe to non-blocking mode.
  const stdinIsTTY = isatty(0);
  let reader: LineReader | undefined;
  let stdin: Uint8Array | undefined;
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutBytes: (b) => void process.stdout.write(b),
    isTTY: stdoutIsTTY && !process.env.CI,
    stderrIsTTY: Boolean(process.stderr.isTTY) && !process.env.CI,
    stdinIsTTY,
    color: colorAllowed(process.env, stdoutIsTTY && !process.env.CI),
    readStdin: () => (stdin ??= readAllStdin()),
    readLine: (prompt) => {
      reader ??= new LineReader(process.stdin, process.stdout, stdinIsTTY);
      return reader.read(prompt);
    },
    close: () => reader?.close(),
  };
}
