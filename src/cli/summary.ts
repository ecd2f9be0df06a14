/**
 * `--summary`: one line on stderr at the end of `run` and `pair`, after the guest's console output (stdout
 * stays the guest's console, unchanged). Off by default, as a program runner's is: the exit status already
 * says how the run ended, and the reason of every run that did not halt is printed anyway. `--quiet` wins.
 */
import type { CliIo, OptionSpec } from './command.js';

export const SUMMARY_OPTION: OptionSpec = {
  type: 'boolean',
  description: 'print one summary line on stderr at the end: how the run ended, instructions, wall time',
};

/** `shadowvm run: halted with exit code 0; 1234 instructions; 0.01 s` (the parts given). */
export function summaryLine(command: string, parts: readonly string[], seconds: number): string {
  return `shadowvm ${command}: ${[...parts, `${seconds.toFixed(2)} s`].join('; ')}\n`;
}

export function printSummary(io: CliIo, wanted: boolean, command: string, parts: readonly string[], seconds: number): void {
  if (wanted && !io.quiet) io.stderr(summaryLine(command, parts, seconds));
}
