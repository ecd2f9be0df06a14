/**
 * Standard input's bytes and name, for every command that reads a program or a source from `-`. Apart from
 * stdin.ts (which adds the guest's console input and so imports the machine), so that `asm` and `disasm`
 * load no more than they use.
 */
import { ShadowError } from '../base/errors.js';
import type { CliIo } from './command.js';

/** The name under which stdin appears in messages. */
export const STDIN_NAME = '<stdin>';

/** Text (assembly source) rather than machine code: no control byte but tab, newline, form feed and carriage return. */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (const b of bytes) if ((b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13) || b === 0x7f) return false;
  return true;
}

/** Stdin's bytes, refusing a terminal (a program or a file is expected there, not typing). */
export function stdinBytes(io: CliIo, what: string): Uint8Array {
  if (!io.readStdin || io.stdinIsTTY)
    throw new ShadowError('USAGE', `'-' reads ${what} from stdin, but stdin is a terminal: pipe or redirect it`);
  return io.readStdin();
}
