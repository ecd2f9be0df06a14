/** `shadowvm pair`: runs a guest on a primary and a backup under their monitors, optionally failing the primary. */
import { formatFaultPoint, parseFaultPoint } from '../../ft/failure-point.js';
import type { Command } from '../command.js';
import { exitCodeFrom, flag, onePositional, stringOpt } from '../args.js';
import { EXIT_CODE_FROM_OPTION, exitForHalt, exitForStop } from '../exit-codes.js';
import { PAIR_OPTIONS, pairOptionsFromArgs } from '../pair-options.js';
import { Pair } from '../../ft/pair.js';
import { stateFingerprint } from '../../vmm/digest.js';
import { describeStop, describeTimeout } from '../report.js';
import { Deadline, timeoutOpt } from '../deadline.js';
import { runPairTimed } from '../timed-run.js';
import { consoleInputSource, loadProgramArg } from '../stdin.js';
import { SUMMARY_OPTION, printSummary } from '../summary.js';

const USAGE =
  'shadowvm pair PROGRAM [--epoch N] [--json] [--seed S] [--drain-priv 0|1] [--drain-ends-epoch] [--check-digests] [--no-protocol] [--fail-at POINT] [--timeout SEC]';

export const pairCommand: Command = {
  name: 'pair',
  summary: 'run a guest on a primary and a backup linked by the FIFO channel',
  usage: USAGE,
  options: {
    ...PAIR_OPTIONS,
    'exit-code-from': EXIT_CODE_FROM_OPTION,
    json: { type: 'boolean', description: 'print one JSON object instead of the console output' },
    'fail-at': {
      type: 'string',
      valueName: 'POINT',
      description: 'fail the primary at an instruction count, epoch:N or event:N; or cut the channel at partition@event:N',
    },
    summary: SUMMARY_OPTION,
  },
  async run(args, io) {
    const deadline = new Deadline(timeoutOpt(args));
    const file = onePositional(args, 'program', USAGE);
    const opts = pairOptionsFromArgs(args, consoleInputSource(stringOpt(args, 'input'), file, io));
    const from = exitCodeFrom(args);
    const image = loadProgramArg(file, io);
    const pair = new Pair(image, opts);
    const { result: r, timedOut } = runPairTimed(pair, deadline);
    const stop = timedOut ? 'timeout' : r.stop;
    const failAt = stringOpt(args, 'fail-at');
    if (flag(args, 'json')) {
      const out: Record<string, unknown> = {
        exitCode: r.exitCode,
        instructions: r.instructions,
        pc: r.pc,
        regs: r.regs,
        console: r.console,
        stop,
        epochs: r.epochs,
        messages: r.messages,
        diverged: r.diverged,
        divergence: r.divergence,
        // After a takeover the original primary is dead: its digest is labelled so, and the backup's is the new primary's.
        digests: pair.primaryFailed
          ? {
              failedPrimary: stateFingerprint(pair.primary.computer.cpu.state),
              newPrimary: stateFingerprint(pair.backup.computer.cpu.state),
            }
          : {
              primary: stateFingerprint(pair.primary.computer.cpu.state),
              backup: stateFingerprint(pair.backup.computer.cpu.state),
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
    return stop === 'halt' ? exitForHalt(r.exitCode, from) : exitForStop(stop);
  },
};
