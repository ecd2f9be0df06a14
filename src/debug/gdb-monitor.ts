/**
 * The `monitor` commands of the gdb stub (gdb's `qRcmd`): `epoch`, `rr`, `channel` and `other` ask the
 * pair's machine (gdb-pair.ts); `fail` fail-stops the primary now, recorded in the history so that
 * reverse execution replays it; `history` and `help` are the session's.
 */
import type { History } from './gdb-history.js';

const COMMANDS: readonly (readonly [string, string])[] = [
  ['epoch', "each replica's epoch, role, status and instructions retired"],
  ['rr', "each replica's recovery register"],
  ['channel', "the channel's queue from the primary to the backup"],
  ['other', "the other replica's pc and instruction"],
  ['fail', 'fail-stop the primary now; the debugger follows the backup through its takeover'],
  ['history', 'the position in the reverse-execution history and its snapshots'],
  ['help', 'this list'],
];

export function monitorHelp(): string {
  return ['monitor commands:', ...COMMANDS.map(([n, d]) => `  ${n.padEnd(8)} ${d}`)].join('\n');
}

/** The handler of the machine's monitor commands, for a pair (`pair` true) or a bare computer. */
export function monitorCommands<S>(history: History<S>, pair: boolean): (command: string) => string {
  return (command) => {
    const known = COMMANDS.some(([n]) => n === command);
    if (!known) return `unknown monitor command '${command}' (monitor help lists them)`;
    if (!pair) return `monitor ${command}: only for a pair (shadowvm pair PROGRAM --gdb PORT)`;
    if (command === 'fail') {
      const err = history.edit({ kind: 'fail' });
      if (err) return `monitor fail: ${err}`;
      return 'the primary fail-stops before its next instruction; from there the debugger follows the backup, which catches up and takes over';
    }
    return history.machine.monitor(command) ?? `unknown monitor command '${command}'`;
  };
}
