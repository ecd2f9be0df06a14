/**
 * Every command's module, loaded at once: for the torture campaign, which fuzzes every command's flags, and
 * for tests. The CLI itself loads commands one at a time through registry.ts.
 */
import type { Command } from './command.js';
import { demoCommand } from './commands/demo.js';
import { runCommand } from './commands/run.js';
import { pairCommand } from './commands/pair.js';
import { stepCommand } from './commands/step.js';
import { fuzzCommand } from './commands/fuzz.js';
import { fuzzMergeCommand } from './commands/fuzz-merge.js';
import { fuzzSequencesCommand } from './commands/fuzz-sequences.js';
import { asmCommand } from './commands/asm.js';
import { linkCommand } from './commands/link.js';
import { disasmCommand } from './commands/disasm.js';

/** In the order of registry.ts's table. */
export const ALL_COMMANDS: readonly Command[] = [
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
