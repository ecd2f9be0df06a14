/**
 * `shadowvm asm IN.s -o OUT [--format elf|bin]`: assembles a program into an ELF executable or a flat binary
 * (`-` is stdin or stdout); `asm -c IN.s -o OUT.o` writes a relocatable object; `asm A.s B.s ... -o OUT.elf`
 * assembles each file into an object and links them (as `shadowvm link` does).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { flag, stringOpt } from '../args.js';
import { ShadowError } from '../../base/errors.js';
import { assemble, toBinary } from '../../asm/assembler.js';
import { toElf } from '../../asm/elf-write.js';
import { readProgramFile } from '../../asm/load.js';
import { STDIN_NAME, stdinBytes } from '../stdin-bytes.js';
import { LINK_OPTIONS, linkOptions } from './link-options.js';

const USAGE = 'shadowvm asm IN.s [MORE.s ...] -o OUT [-c] [--format elf|bin] [-T script.ld | --text ADDR]';

export const asmCommand: Command = {
  name: 'asm',
  usage: USAGE,
  options: {
    output: { type: 'string', short: 'o', valueName: 'OUT', description: 'the file to write (required), - for stdout' },
    format: {
      type: 'string',
      short: 'f',
      valueName: 'elf|bin',
      description: 'ELF32 executable (default) or flat binary loaded at 0x80000000',
    },
    compile: { type: 'boolean', short: 'c', description: 'write a relocatable object (ELF32 ET_REL) to link later' },
    ...LINK_OPTIONS,
  },
  async run(args, io) {
    const inputs = args.positionals;
    if (inputs.length === 0) throw new ShadowError('USAGE', `expected a source file, got 0\nUsage: ${USAGE}`);
    const output = stringOpt(args, 'output');
    if (output === undefined) throw new ShadowError('USAGE', `missing -o OUT\nUsage: ${USAGE}`);
    const format = stringOpt(args, 'format') ?? 'elf';
    if (format !== 'elf' && format !== 'bin') throw new ShadowError('USAGE', `--format: expected elf or bin, got '${format}'`);
    const object = flag(args, 'compile');
    const linking = inputs.length > 1;
    if (object && linking) throw new ShadowError('USAGE', `-c takes one source file, got ${inputs.length}`);
    if ((object || linking) && format !== 'elf') throw new ShadowError('USAGE', `--format bin is for one source file without -c`);
    if (!linking && (stringOpt(args, 'script') !== undefined || stringOpt(args, 'text') !== undefined)) {
      throw new ShadowError('USAGE', '-T and --text apply when linking several source files');
    }
    if (output === '-' && (io.isTTY || !io.stdoutBytes)) {
      throw new ShadowError('USAGE', `-o -: stdout is a terminal; redirect it to a file or a pipe, or give -o FILE`);
    }
    const source = (input: string): string =>
      new TextDecoder().decode(input === '-' ? stdinBytes(io, 'the source') : readProgramFile(input));
    const nameOf = (input: string): string => (input === '-' ? STDIN_NAME : input);
    // Objects and the linker load only when used: most runs assemble one file into an executable.
    if (linking) {
      if (output === '-') throw new ShadowError('USAGE', '-o -: linking writes a file; give -o FILE');
      const opts = linkOptions(args);
      const [{ assembleObject }, { linkAndWrite }] = await Promise.all([import('../../asm/object.js'), import('./link.js')]);
      const objects = inputs.map((input) => {
        const { bytes, warnings } = assembleObject(source(input), { file: nameOf(input) });
        for (const w of warnings) io.stderr(w + '\n');
        return { file: nameOf(input), bytes };
      });
      return linkAndWrite(objects, opts, output, io);
    }
    const input = inputs[0]!;
    let bytes: Uint8Array;
    if (object) {
      const { assembleObject } = await import('../../asm/object.js');
      const result = assembleObject(source(input), { file: nameOf(input) });
      for (const w of result.warnings) io.stderr(w + '\n');
      bytes = result.bytes;
    } else {
      const result = assemble(source(input), { file: nameOf(input) });
      for (const w of result.warnings) io.stderr(w + '\n');
      bytes = format === 'elf' ? toElf(result) : toBinary(result);
    }
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
