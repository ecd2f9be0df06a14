/** `shadowvm pair`: runs a guest on a primary and a backup under their monitors, optionally failing the primary. */
import type { Command } from '../command.js';
import { exitCodeFrom, flag, onePositional, stringOpt } from '../args.js';
import { EXIT_CODE_FROM_OPTION, exitForHalt, exitForStop } from '../exit-codes.js';
import { PAIR_OPTIONS, pairOptionsFromArgs } from '../pair-options.js';
import { loadProgram } from '../../asm/load.js';
import { Pair } from '../../ft/pair.js';
import { formatFailurePoint } from '../../ft/failure-point.js';
import { stateFingerprint } from '../../vmm/digest.js';
import { describeStop } from '../report.js';

const USAGE =
  'shadowvm pair PROGRAM [--epoch N] [--json] [--seed S] [--drain-priv 0|1] [--drain-ends-epoch] [--check-digests] [--no-protocol] [--fail-at POINT]';

export const pairCommand: Command = {
  name: 'pair',
  summary: 'run a guest on a primary and a backup linked by the FIFO channel',
  usage: USAGE,
  options: {
    ...PAIR_OPTIONS,
    'exit-code-from': EXIT_CODE_FROM_OPTION,
    json: { type: 'boolean', description: 'print one JSON object instead of the console output' },
    'fail-at': { type: 'string', valueName: 'POINT', description: 'fail the primary at an instruction count, epoch:N or event:N' },
  },
  async run(args, io) {
    const file = onePositional(args, 'program', USAGE);
    const opts = pairOptionsFromArgs(args);
    const from = exitCodeFrom(args);
    const image = loadProgram(file);
    const pair = new Pair(image, opts);
    const r = pair.run();
    const failAt = stringOpt(args, 'fail-at');
    if (flag(args, 'json')) {
      const out: Record<string, unknown> = {
        exitCode: r.exitCode,
        instructions: r.instructions,
        pc: r.pc,
        regs: r.regs,
        console: r.console,
        stop: r.stop,
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
        out.failurePoint = formatFailurePoint(opts.failAt!);
        out.takeover = r.takeover
          ? { epoch: r.takeover.epoch, instructions: r.takeover.instructions, virtualTime: r.takeover.virtualTime, reissued: r.takeover.reissued, outstanding: r.takeover.outstanding, disconnected: r.takeover.disconnected, deletedCompletions: r.takeover.deletedCompletions }
          : null;
        out.world = pair.world.record();
      }
      io.stdout(JSON.stringify(out) + '\n');
    } else {
      io.stdout(r.console);
    }
    if (failAt !== undefined && pair.failure === undefined) {
      const events = pair.primary.state.events;
      io.stderr(`note: --fail-at ${failAt} was never reached: the run ended first (${r.instructions} instructions, ${events} events); no failure was injected\n`);
    }
    if (r.stop === 'halt') return exitForHalt(r.exitCode, from);
    io.stderr(describeStop(r, pair, image) + '\n');
    return exitForStop(r.stop);
  },
};
