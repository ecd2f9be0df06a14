/** The table of every `shadowvm` command. Add a command by adding one import and one entry. */
import type { Command } from './command.js';
import { demoCommand } from './commands/demo.js';
import { pairCommand } from './commands/pair.js';
import { runCommand } from './commands/run.js';
import { stepCommand } from './commands/step.js';
import { fuzzCommand } from './commands/fuzz.js';
import { fuzzMergeCommand } from './commands/fuzz-merge.js';
import { fuzzSequencesCommand } from './commands/fuzz-sequences.js';
import { asmCommand } from './commands/asm.js';
import { disasmCommand } from './commands/disasm.js';
import { linkCommand } from './commands/link.js';

export const COMMANDS: readonly Command[] = [
  demoCommand,
  runCommand,
  pairCommand,
  stepCommand,
  fuzzCommand,
  fuzzMergeCommand,
  fuzzSequencesCommand,
  asmCommand,
  linkCommand,
  disasmCommand,
];
