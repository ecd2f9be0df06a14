/** `shadowvm disasm FILE [--describe]`: disassembles an ELF executable, a flat binary or assembly source, as objdump -d does (`-` reads stdin). */
import type { Command } from '../command.js';
import { flag, onePositional } from '../args.js';
import { isElf } from '../../asm/elf.js';
import { readProgramFile } from '../../asm/load.js';
import { listProgram } from '../../asm/disasm-file.js';
import { STDIN_NAME, looksLikeText, stdinBytes } from '../stdin-bytes.js';

const USAGE = 'shadowvm disasm FILE [--describe]';

export const disasmCommand: Command = {
  name: 'disasm',
  usage: USAGE,
  options: {
    describe: { type: 'boolean', description: "append each instruction's definition from the instruction table, e.g. # rd = rs1 + imm" },
  },
  async run(args, io) {
    const file = onePositional(args, 'program file', USAGE);
    const describe = flag(args, 'describe');
    if (file !== '-') {
      io.stdout(listProgram(file, readProgramFile(file), describe));
      return 0;
    }
    const bytes = stdinBytes(io, 'the program');
    // Assembly source is recognised by its name: stdin's is given one when it is text.
    io.stdout(listProgram(!isElf(bytes) && looksLikeText(bytes) ? `${STDIN_NAME}.s` : STDIN_NAME, bytes, describe));
    return 0;
  },
};
