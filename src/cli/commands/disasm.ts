/** `shadowvm disasm FILE`: disassembles an ELF executable, a flat binary or assembly source, as objdump -d does. */
import type { Command } from '../command.js';
import { onePositional } from '../args.js';
import { readProgramFile } from '../../asm/load.js';
import { listProgram } from '../../asm/disasm-file.js';

const USAGE = 'shadowvm disasm FILE';

export const disasmCommand: Command = {
  name: 'disasm',
  summary: 'disassemble an ELF executable or flat binary in the style of objdump -d',
  usage: USAGE,
  options: {},
  async run(args, io) {
    const file = onePositional(args, 'program file', USAGE);
    io.stdout(listProgram(file, readProgramFile(file)));
    return 0;
  },
};
