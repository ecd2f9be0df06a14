/** `shadowvm pair`: runs a guest on a primary and a backup under their monitors, optionally failing the primary. */
import { formatFaultPoint, parseFaultPoint } from '../../ft/failure-point.js';
import type { Command } from '../command.js';
import { exitCodeFrom, flag, onePositional, stringOpt } from '../args.js';
import { EXIT_CODE_FROM_OPTION, exitForHalt, exitForStop } from '../exit-codes.js';
import { PAIR_OPTIONS, pairOptionsFromArgs } from '../pair-options.js';
import { Pair, type PairOptions } from '../../ft/pair.js';
import { stateFingerprint } from '../../vmm/digest.js';
import { describeStop, describeTimeout, runJson } from '../report.js';
import { Deadline, timeoutOpt } from '../deadline.js';
import { runPairTimed } from '../timed-run.js';
import { consoleInputSource, loadProgramArg } from '../stdin.js';
import { SUMMARY_OPTION, printSummary } from '../summary.js';
import { GDB_OPTION, REPLICA_OPTION, debugWithGdb, gateConsole, gdbPortOpt, replicaOpt } from '../gdb-run.js';
import { PairDebugMachine } from '../../debug/gdb-pair.js';
import { ShadowError } from '../../base/errors.js';
import { TRACE_OPTION, refuseForGroup, saveTrace, traceOpt } from '../trace-option.js';
import { tracePair } from '../../debug/trace-pair.js';
import { GROUP_OPTIONS, groupOptionsFromArgs, runGroupCommand, wantsGroup } from '../group-run.js';

const USAGE =
  'shadowvm pair PROGRAM [--epoch N] [--json] [--seed S] [--drain-priv 0|1] [--drain-ends-epoch] [--check-digests] [--no-protocol] [--fail-at POINT [--fail-side primary|backup]] [--timeout SEC] [--gdb PORT [--replica primary|backup|N]]';

export const pairCommand: Command = {
  name: 'pair',
  usage: USAGE,
  options: {
    ...PAIR_OPTIONS,
    ...GROUP_OPTIONS,
    'exit-code-from': EXIT_CODE_FROM_OPTION,
    json: { type: 'boolean', description: 'print one JSON object instead of the console output' },
    'fail-at': {
      type: 'string',
      valueName: 'POINT',
      description:
        'fail the primary at an instruction count, epoch:N or event:N; a list of [REPLICA@]POINT (REPLICA: primary, backup, a rank); or cut the channel at partition@POINT (a pair only)',
    },
    'fail-side': {
      type: 'string',
      valueName: 'primary|backup',
      description: 'with --fail-at POINT: the computer that fails; with a partition, the one that loses the arbiter (default primary)',
    },
    summary: SUMMARY_OPTION,
    gdb: GDB_OPTION,
    replica: REPLICA_OPTION,
    trace: TRACE_OPTION,
  },
  async run(args, io) {
    const deadline = new Deadline(timeoutOpt(args));
    const file = onePositional(args, 'program', USAGE);
    const input = consoleInputSource(stringOpt(args, 'input'), file, io);
    const from = exitCodeFrom(args);
    const failSide = stringOpt(args, 'fail-side');
    if (failSide !== undefined) {
      if (failSide !== 'primary' && failSide !== 'backup')
        throw new ShadowError('USAGE', `--fail-side: expected primary or backup, got '${failSide}'`);
      if (stringOpt(args, 'fail-at') === undefined) throw new ShadowError('USAGE', `--fail-side needs --fail-at POINT\nUsage: ${USAGE}`);
      if (wantsGroup(args))
        throw new ShadowError('USAGE', '--fail-side is for a pair: in a group, name the replica in the list (REPLICA@POINT)');
    }
    if (wantsGroup(args)) {
      refuseForGroup(args);
      const gopts = groupOptionsFromArgs(args, (a) => pairOptionsFromArgs(a, input));
      return runGroupCommand(loadProgramArg(file, io), gopts, args, io, deadline, from);
    }
    const opts = onSide(pairOptionsFromArgs(args, input), failSide);
    const image = loadProgramArg(file, io);
    const gdbPort = gdbPortOpt(args);
    const side = replicaOpt(args);
    if (gdbPort === undefined && stringOpt(args, 'replica') !== undefined) throw new ShadowError('USAGE', '--replica needs --gdb PORT');
    if (gdbPort !== undefined) {
      if (flag(args, 'json')) throw new ShadowError('USAGE', '--gdb and --json cannot be used together');
      const decoder = new TextDecoder();
      opts.world!.onConsole = (bytes) => io.stdout(decoder.decode(bytes, { stream: true }));
      const gate = gateConsole(opts.world!);
      const machine = new PairDebugMachine(new Pair(image, opts), opts, side, image);
      return debugWithGdb('pair', machine, gate, gdbPort, io, { pair: true, exitCodeFrom: from, program: file });
    }
    const tracePath = traceOpt(args);
    const pair = new Pair(image, opts);
    const trace = tracePath === undefined ? undefined : tracePair(pair);
    const { result: r, timedOut } = runPairTimed(pair, deadline);
    if (trace) saveTrace(io, 'pair', tracePath!, file, trace.finish());
    const stop = timedOut ? 'timeout' : r.stop;
    const failAt = stringOpt(args, 'fail-at');
    if (flag(args, 'json')) {
      const out: Record<string, unknown> = {
        ...runJson(r, stop),
        // After a takeover the original primary is dead: its digest is labelled so, and the backup's is the new primary's.
        digests: pair.primaryFailed
          ? {
              failedPrimary: stateFingerprint(pair.primary.computer.cpu.state, pair.primary.computer.cpu.writtenPages()),
              newPrimary: stateFingerprint(pair.backup.computer.cpu.state, pair.backup.computer.cpu.writtenPages()),
            }
          : {
              primary: stateFingerprint(pair.primary.computer.cpu.state, pair.primary.computer.cpu.writtenPages()),
              backup: stateFingerprint(pair.backup.computer.cpu.state, pair.backup.computer.cpu.writtenPages()),
            },
      };
      if (failAt !== undefined) {
        out.failureInjected = pair.failure !== undefined;
        out.failedOver = r.failedOver;
        out.failurePoint = formatFaultPoint(parseFaultPoint(failAt));
        if (pair.partition) out.arbiter = pair.arbiter.decisions;
        out.takeover = r.takeover
          ? {
              epoch: r.takeover.epoch,
              instructions: r.takeover.instructions,
              virtualTime: r.takeover.virtualTime,
              reissued: r.takeover.reissued,
              outstanding: r.takeover.outstanding,
              disconnected: r.takeover.disconnected,
              deletedCompletions: r.takeover.deletedCompletions,
            }
          : null;
        out.world = pair.world.record();
      }
      io.stdout(JSON.stringify(out) + '\n');
    } else {
      io.stdout(r.console);
    }
    if (failAt !== undefined && pair.failure === undefined && !timedOut && !io.quiet) {
      const events = pair.primary.state.events;
      io.stderr(
        `note: --fail-at ${failAt} was never reached: the run ended first (${r.instructions} instructions, ${events} events); no failure was injected\n`,
      );
    }
    if (stop !== 'halt')
      io.stderr((timedOut ? describeTimeout(deadline.seconds!, r.instructions, r.pc, image) : describeStop(r, pair, image)) + '\n');
    const outcome = stop === 'halt' ? `halted with exit code ${r.exitCode}` : stop === 'fault' ? 'guest fault' : stop;
    const failover = r.takeover
      ? `failover: the backup took over in epoch ${r.takeover.epoch}`
      : pair.failure
        ? `the ${pair.failure.side} failed, no takeover`
        : 'no failover';
    printSummary(
      io,
      flag(args, 'summary'),
      'pair',
      [outcome, `${r.instructions} instructions`, `${r.epochs} epochs`, `${r.messages} messages`, failover],
      deadline.elapsed(),
    );
    pair.dispose(); // both computers' RAM goes back to the pool for the next run in this process
    return stop === 'halt' ? exitForHalt(r.exitCode, from) : exitForStop(stop);
  },
};

/** `--fail-side backup`: the backup fail-stops at the point instead, or loses the partition's race to the arbiter. */
function onSide(opts: PairOptions, side: string | undefined): PairOptions {
  if (side !== 'backup') return opts;
  if (opts.partition) return { ...opts, partition: { ...opts.partition, loser: 'backup' } };
  return { ...opts, failAt: undefined, failBackupAt: opts.failAt };
}
