/**
 * `--gdb PORT` on `run` and `pair`: the run waits for gdb on PORT (0: any free port, printed), as
 * `qemu -s -S` does, and gdb drives it (src/debug/). The guest's console goes to stdout as it is first
 * produced (re-runs for reverse execution are silent). When gdb detaches or goes away, the run goes on to
 * its end without it and exits as the command would; when gdb kills the guest, the command exits with 0.
 */
import { DEFAULTS } from '../base/defaults.js';
import { ShadowError } from '../base/errors.js';
import { hex32 } from '../base/format.js';
import type { World } from '../hw/world.js';
import type { CliIo, OptionSpec, ParsedArgs } from './command.js';
import { intOpt, stringOpt } from './args.js';
import { EXIT, exitForHalt, exitForStop } from './exit-codes.js';
import { History, type ConsoleGate } from '../debug/gdb-history.js';
import type { DebugMachine } from '../debug/gdb-machine.js';
import { GdbSession } from '../debug/gdb-session.js';
import { monitorCommands } from '../debug/gdb-monitor.js';
import { serveGdb } from '../debug/gdb-server.js';
import type { Side } from '../debug/gdb-pair.js';

export const GDB_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'PORT',
  description: 'wait for gdb on this TCP port of 127.0.0.1 (0: any free port) and let it drive the run',
};

export const REPLICA_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'primary|backup|N',
  description: 'with --gdb: the replica gdb debugs, primary (0, the default) or backup (1)',
};

/** The `--gdb` port, or undefined without the option. */
export function gdbPortOpt(args: ParsedArgs): number | undefined {
  return intOpt(args, 'gdb', 0, 65535);
}

/** The replica `--replica` names (primary by default). */
export function replicaOpt(args: ParsedArgs): Side {
  const v = stringOpt(args, 'replica');
  if (v === undefined || v === 'primary' || v === '0') return 'primary';
  if (v === 'backup' || v === '1') return 'backup';
  throw new ShadowError('USAGE', `bad --replica '${v}': expected primary, backup, 0 or 1`);
}

/** Output goes to the console only while the gate is open (the history closes it while it re-runs). */
export function gateConsole(world: World): ConsoleGate {
  const gate: ConsoleGate = { open: true };
  const inner = world.onConsole;
  if (inner) world.onConsole = (bytes, offset) => void (gate.open && inner(bytes, offset));
  return gate;
}

/** Serves gdb on `port` for `machine`, then finishes the run; returns the exit status. */
export async function debugWithGdb<S>(
  command: string,
  machine: DebugMachine<S>,
  gate: ConsoleGate,
  port: number,
  io: CliIo,
  opts: { readonly pair: boolean; readonly exitCodeFrom: 'guest' | 'status'; readonly program: string },
): Promise<number> {
  const history = new History(machine, DEFAULTS.gdbSnapshotEvery, DEFAULTS.gdbSnapshotsKept, gate);
  const session = new GdbSession(history, monitorCommands(history, opts.pair), (err) =>
    io.stderr(`shadowvm ${command}: internal error in the gdb stub (please report it): ${(err as Error).message}\n`),
  );
  let outcome;
  try {
    outcome = await serveGdb(session, {
      port,
      onListening: (p) =>
        io.stderr(`shadowvm ${command}: waiting for gdb on port ${p}: gdb-multiarch ${opts.program} -ex 'target remote :${p}'\n`),
      log: (line) => io.stderr(`shadowvm ${command}: ${line}\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ShadowError('USAGE', `cannot listen on port ${port}: ${code}`);
  }
  if (outcome === 'kill') {
    const st = machine.cpu.state;
    io.stderr(`shadowvm ${command}: gdb killed the guest (${machine.followed} at pc ${hex32(st.pc)}, instret ${st.instret})\n`);
    return EXIT.OK;
  }
  if (outcome === 'disconnect') io.stderr(`shadowvm ${command}: gdb went away; the run goes on without it\n`);
  const end = history.finish();
  if (end.status === 'halt') return exitForHalt(end.exitCode, opts.exitCodeFrom);
  io.stderr(`${end.message}\n`);
  return exitForStop(end.status === 'deadlock' ? 'deadlock' : end.status);
}
