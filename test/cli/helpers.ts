/** Runs the CLI in-process and captures what it printed. */
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/command.js';

export interface Captured {
  code: number;
  out: string;
  err: string;
  chunks: string[];
}

export async function cli(...argv: string[]): Promise<Captured> {
  const c: Captured = { code: 0, out: '', err: '', chunks: [] };
  const io: CliIo = {
    stdout: (t) => {
      c.out += t;
      c.chunks.push(t);
    },
    stderr: (t) => {
      c.err += t;
    },
    isTTY: false,
  };
  c.code = await main(argv, io);
  return c;
}

