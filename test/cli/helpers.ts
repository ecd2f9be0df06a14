/** Runs the CLI in-process and captures what it printed; `cliWith` also gives it a stdin. */
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/command.js';

export interface Captured {
  code: number;
  out: string;
  err: string;
  chunks: string[];
  /** Raw bytes written with stdoutBytes (`asm -o -`). */
  bytes: Uint8Array[];
}

export interface FakeStdin {
  /** Stdin's bytes (piped), or undefined for no stdin at all. */
  readonly stdin?: Uint8Array | string;
  /** Stdin is a terminal. */
  readonly stdinIsTTY?: boolean;
  /** Lines read by interactive commands. */
  readonly lines?: readonly string[];
  readonly isTTY?: boolean;
  readonly color?: boolean;
}

/** The two text streams of a CliIo, appended to `c`. */
function capture(c: Captured): Pick<CliIo, 'stdout' | 'stderr'> {
  return {
    stdout: (t) => {
      c.out += t;
      c.chunks.push(t);
    },
    stderr: (t) => {
      c.err += t;
    },
  };
}

export async function cliWith(fake: FakeStdin, ...argv: string[]): Promise<Captured & { stdinReads: number; prompts: string[] }> {
  const c = { code: 0, out: '', err: '', chunks: [] as string[], bytes: [] as Uint8Array[], stdinReads: 0, prompts: [] as string[] };
  const lines = [...(fake.lines ?? [])];
  const stdin = fake.stdin;
  const io: CliIo = {
    ...capture(c),
    stdoutBytes: (b) => void c.bytes.push(b),
    isTTY: fake.isTTY ?? false,
    color: fake.color,
    stdinIsTTY: fake.stdinIsTTY ?? false,
    readStdin:
      stdin === undefined
        ? undefined
        : () => {
            c.stdinReads++;
            return typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin;
          },
    readLine: fake.lines
      ? async (prompt) => {
          c.prompts.push(prompt);
          return lines.shift();
        }
      : undefined,
  };
  c.code = await main(argv, io);
  return c;
}

export async function cli(...argv: string[]): Promise<Captured> {
  const c: Captured = { code: 0, out: '', err: '', chunks: [], bytes: [] };
  const io: CliIo = { ...capture(c), isTTY: false };
  c.code = await main(argv, io);
  return c;
}
