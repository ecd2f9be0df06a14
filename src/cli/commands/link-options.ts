/**
 * The options of `link` that `asm A.s B.s -o OUT.elf` shares (-T, --text), apart from the linker itself so
 * that `asm` loads the linker only when it links.
 */
import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { stringOpt } from '../args.js';
import { ShadowError } from '../../base/errors.js';
import type { LinkOptions } from '../../link/link.js';

/** -T and --text, shared with `asm A.s B.s -o OUT.elf`. */
export const LINK_OPTIONS = {
  script: {
    type: 'string',
    short: 'T',
    valueName: 'script.ld',
    description: 'the linker script (the subset programs/runtime/linker.ld uses)',
  },
  text: {
    type: 'string',
    valueName: 'ADDR',
    description: 'without -T: the address of the code, followed by read-only data, data and bss (default 0x80000000)',
  },
} as const;

export function linkOptions(args: Parameters<Command['run']>[0]): LinkOptions {
  const scriptFile = stringOpt(args, 'script');
  const text = stringOpt(args, 'text');
  if (scriptFile !== undefined && text !== undefined) throw new ShadowError('USAGE', '-T and --text cannot be used together');
  if (scriptFile !== undefined) {
    let content: string;
    try {
      content = readFileSync(scriptFile, 'utf8');
    } catch (err) {
      throw new ShadowError('FILE', `cannot read '${scriptFile}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return { script: { text: content, file: scriptFile } };
  }
  if (text === undefined) return {};
  if (!/^(0x[0-9a-f]{1,8}|[0-9]+)$/i.test(text) || Number(text) > 0xffffffff) {
    throw new ShadowError('USAGE', `--text: expected an address like 0x80000000, got '${text}'`);
  }
  return { text: Number(text) };
}
