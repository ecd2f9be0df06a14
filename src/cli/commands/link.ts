/** `shadowvm link A.o B.o -o OUT.elf [-T script.ld | --text ADDR]`: links relocatable objects into an ELF executable. */
import { writeFileSync } from 'node:fs';
import type { Command, CliIo } from '../command.js';
import { stringOpt } from '../args.js';
import { ShadowError } from '../../base/errors.js';
import { toElf } from '../../asm/elf-write.js';
import { readProgramFile } from '../../asm/load.js';
import { link, type LinkInput, type LinkOptions } from '../../link/link.js';
import { LINK_OPTIONS, linkOptions } from './link-options.js';

const USAGE = 'shadowvm link A.o B.o ... -o OUT.elf [-T script.ld | --text ADDR]';

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
