/** `shadowvm asm IN.s -o OUT [--format elf|bin]`: assembles a program into an ELF executable or a flat binary. `-` is stdin or stdout. */
import { writeFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { onePositional, stringOpt } from '../args.js';
import { ShadowError } from '../../base/errors.js';
import { assemble, toBinary } from '../../asm/assembler.js';
import { toElf } from '../../asm/elf-write.js';
import { readProgramFile } from '../../asm/load.js';
import { STDIN_NAME, stdinBytes } from '../stdin.js';

const USAGE = 'shadowvm asm IN.s -o OUT [--format elf|bin]';

export const asmCommand: Command = {
  name: 'asm',
  summary: 'assemble a program (GNU as syntax) into an ELF executable or a flat binary',
  usage: USAGE,
  options: {
    output: { type: 'string', short: 'o', valueName: 'OUT', description: 'the file to write (required), - for stdout' },
    format: {
      type: 'string',
      short: 'f',
      valueName: 'elf|bin',
      description: 'ELF32 executable (default) or flat binary loaded at 0x80000000',
    },
  },
  async run(args, io) {
    const input = onePositional(args, 'source file', USAGE);
    const output = stringOpt(args, 'output');
    if (output === undefined) throw new ShadowError('USAGE', `missing -o OUT\nUsage: ${USAGE}`);
    const format = stringOpt(args, 'format') ?? 'elf';
    if (format !== 'elf' && format !== 'bin') throw new ShadowError('USAGE', `--format: expected elf or bin, got '${format}'`);
    if (output === '-' && (io.isTTY || !io.stdoutBytes)) {
      throw new ShadowError('USAGE', `-o -: stdout is a terminal; redirect it to a file or a pipe, or give -o FILE`);
    }
    const name = input === '-' ? STDIN_NAME : input;
    const source = new TextDecoder().decode(input === '-' ? stdinBytes(io, 'the source') : readProgramFile(input));
    const result = assemble(source, { file: name });
    for (const w of result.warnings) io.stderr(w + '\n');
    const bytes = format === 'elf' ? toElf(result) : toBinary(result);
    if (output === '-') {
      io.stdoutBytes!(bytes);
      return 0;
    }
    try {
      writeFileSync(output, bytes);
    } catch (err) {
      throw new ShadowError('FILE', `cannot write '${output}': ${(err as Error).message}`);
    }
    return 0;
  },
};
