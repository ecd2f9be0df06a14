/**
 * The table of every `shadowvm` command: its name, its one-line summary, and how to load it. A command's
 * module (and everything it imports: the assembler's grammar, the monitors, the fuzzer) loads only when that
 * command runs, so `shadowvm asm` does not pay for the fuzzer. Add a command with one entry here and one
 * import in all-commands.ts (its test checks that the two lists agree).
 */
import type { Command } from './command.js';

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'show a failover: the primary fails midway, the backup takes over and finishes',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  {
    name: 'run',
    summary: 'run a guest on one computer with no monitor (bare mode)',
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  {
    name: 'pair',
    summary: 'run a guest on a primary and a backup linked by the FIFO channel',
    load: async () => (await import('./commands/pair.js')).pairCommand,
  },
  {
    name: 'step',
    summary: 'step the primary and its backups side by side',
    load: async () => (await import('./commands/step.js')).stepCommand,
  },
  {
    name: 'fuzz',
    summary: 'fail the primary at every distinct point (or at seeded random points) and check the oracles',
    load: async () => (await import('./commands/fuzz.js')).fuzzCommand,
  },
  {
    name: 'fuzz-merge',
    summary: "merge the --json reports of 'fuzz --shard I/N' into one, checking that they cover every case exactly once",
    load: async () => (await import('./commands/fuzz-merge.js')).fuzzMergeCommand,
  },
  {
    name: 'fuzz-sequences',
    summary: 'fail a replica group twice: at every distinct point, then around the takeover and the rebackup',
    load: async () => (await import('./commands/fuzz-sequences.js')).fuzzSequencesCommand,
  },
  {
    name: 'asm',
    summary: 'assemble a program (GNU as syntax) into an ELF executable, a flat binary or a relocatable object; several files are linked',
    load: async () => (await import('./commands/asm.js')).asmCommand,
  },
  {
    name: 'link',
    summary: 'link relocatable objects (from shadowvm asm -c, GNU as or gcc -c) into an ELF executable',
    load: async () => (await import('./commands/link.js')).linkCommand,
  },
  {
    name: 'disasm',
    summary: 'disassemble an ELF executable or flat binary in the style of objdump -d',
    load: async () => (await import('./commands/disasm.js')).disasmCommand,
  },
];

/** The entry of the command called `name`, if there is one. */
export function commandEntry(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
