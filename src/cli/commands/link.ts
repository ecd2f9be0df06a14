/** `shadowvm link A.o B.o -o OUT.elf [-T script.ld | --text ADDR]`: links relocatable objects into an ELF executable. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command, CliIo } from '../command.js';
import { stringOpt } from '../args.js';
import { ShadowError } from '../../base/errors.js';
import { toElf } from '../../asm/elf-write.js';
import { readProgramFile } from '../../asm/load.js';
import { link, type LinkInput, type LinkOptions } from '../../link/link.js';

const USAGE = 'shadowvm link A.o B.o ... -o OUT.elf [-T script.ld | --text ADDR]';

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

/** Links and writes the executable; warnings go to stderr. */
export function linkAndWrite(inputs: readonly LinkInput[], opts: LinkOptions, output: string, io: CliIo): number {
  const result = link(inputs, opts);
  for (const w of result.warnings) io.stderr(w + '\n');
  try {
    writeFileSync(output, toElf(result));
  } catch (err) {
    throw new ShadowError('FILE', `cannot write '${output}': ${(err as Error).message}`);
  }
  return 0;
}

export const linkCommand: Command = {
  name: 'link',
  usage: USAGE,
  options: {
    output: { type: 'string', short: 'o', valueName: 'OUT.elf', description: 'the executable to write (required)' },
    ...LINK_OPTIONS,
  },
  async run(args, io) {
    if (args.positionals.length === 0) throw new ShadowError('USAGE', `no object files\nUsage: ${USAGE}`);
    const output = stringOpt(args, 'output');
    if (output === undefined) throw new ShadowError('USAGE', `missing -o OUT.elf\nUsage: ${USAGE}`);
    const opts = linkOptions(args);
    const inputs = args.positionals.map((file) => ({ file, bytes: readProgramFile(file) }));
    return linkAndWrite(inputs, opts, output, io);
  },
};
