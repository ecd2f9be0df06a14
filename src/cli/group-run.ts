/**
 * `pair` with a replica group: `--backups K`, `--rebackup-after N`, or a `--fail-at` list. Runs a `Group`
 * (ft/group.ts) instead of a `Pair`, and reports the group's replicas, failures, takeovers and rebackups.
 */
import type { CliIo, OptionSpec, ParsedArgs } from './command.js';
import { DEFAULTS } from '../base/defaults.js';
import { ShadowError } from '../base/errors.js';
import { flag, intOpt, stringOpt } from './args.js';
import type { ProgramImage } from '../../isa/image.js';
import { Group, type GroupOptions, type GroupResult } from '../ft/group.js';
import { parseFailureSequence } from '../ft/failure-sequence.js';
import type { PairOptions } from '../ft/pair.js';
import { exitForHalt, exitForStop } from './exit-codes.js';
import { describeStop, describeTimeout, runJson } from './report.js';
import { CLOCK_CHECK_INSTRUCTIONS, type Deadline } from './deadline.js';
import { printSummary } from './summary.js';

/** RAM of all the replicas of a group together (a pair may have 2 x 1024 MiB). */
const MAX_GROUP_RAM_MIB = 2048;

export const GROUP_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  backups: { type: 'string', valueName: 'K', description: 'backups in the replica group, each on its own channel (default 1)' },
  'rebackup-after': {
    type: 'string',
    valueName: 'N',
    description: 'epochs after a replica is lost before a new backup joins by state transfer (default: never)',
  },
};

/** Refuses a group whose replicas together would have more than MAX_GROUP_RAM_MIB of RAM. */
export function checkGroupRam(backups: number, ramMiB: number | undefined): void {
  const ram = ramMiB ?? DEFAULTS.ramMiB;
  if ((backups + 1) * ram > MAX_GROUP_RAM_MIB) {
    throw new ShadowError(
      'USAGE',
      `--backups ${backups} with --ram ${ram}: the group's RAM (${backups + 1} x ${ram} MiB) must be at most ${MAX_GROUP_RAM_MIB} MiB`,
    );
  }
}

/** Partitions and the arbiter race are modelled for a primary and one backup (ft/partition.ts), not for a group. */
export const PARTITION_PAIR_ONLY =
  'partitions are modelled for a pair only: drop --backups and --rebackup-after, or fail-stop the replicas';

/** True when the command line asks for a group rather than a pair (a partition is a pair's: `partition@` is not a replica). */
export function wantsGroup(args: ParsedArgs): boolean {
  const failAt = stringOpt(args, 'fail-at') ?? '';
  const partition = /(^|,)\s*partition@/.test(failAt);
  const group = stringOpt(args, 'backups') !== undefined || stringOpt(args, 'rebackup-after') !== undefined;
  if (partition && (group || failAt.includes(','))) throw new ShadowError('USAGE', `--fail-at ${failAt}: ${PARTITION_PAIR_ONLY}`);
  return group || (!partition && /[,@]/.test(failAt));
}

/** The group's options: the pair's (read without `--fail-at`), the group's own, and the failure list. */
export function groupOptionsFromArgs(args: ParsedArgs, pairOptions: (args: ParsedArgs) => PairOptions): GroupOptions {
  const failAt = stringOpt(args, 'fail-at');
  const { failAt: _f, failBackupAt: _b, ...rest } = pairOptions({ ...args, values: { ...args.values, 'fail-at': undefined } });
  const backups = intOpt(args, 'backups', 1, 8) ?? 1;
  checkGroupRam(backups, rest.ramMiB);
  return {
    ...rest,
    backups,
    rebackupAfter: intOpt(args, 'rebackup-after', 0, 1 << 30),
    failures: failAt === undefined ? [] : parseFailureSequence(failAt),
  };
}

/** Runs `group` to the end, or until `deadline` passes (checked between scheduling turns). */
export function runGroupTimed(group: Group, deadline: Deadline): { result: GroupResult; timedOut: boolean } {
  const work = (): number => group.replicas.reduce((n, r) => n + r.monitor.computer.cpu.state.instret, 0);
  let next = work() + CLOCK_CHECK_INSTRUCTIONS;
  for (;;) {
    const stop = group.turn();
    if (stop) return { result: group.result(stop), timedOut: false };
    if (deadline.seconds !== undefined && work() >= next) {
      if (deadline.expired) return { result: group.result('budget'), timedOut: true };
      next = work() + CLOCK_CHECK_INSTRUCTIONS;
    }
  }
}

/** The `--json` object of a group's run. */
export function groupJson(g: Group, r: GroupResult, stop: string): Record<string, unknown> {
  return {
    ...runJson(r, stop),
    backupsAtStart: r.backupsAtStart,
    backups: r.backups,
    unprotected: r.unprotected,
    unprotectedEpochs: r.unprotectedEpochs,
    replicas: r.replicas,
    failures: r.failures.map((f) => ({ name: f.name, rank: f.rank, side: f.side, step: f.step, epoch: f.epoch, instret: f.instret })),
    takeovers: r.takeovers.map((t) => ({
      epoch: t.epoch,
      instructions: t.instructions,
      virtualTime: t.virtualTime,
      reissued: t.reissued,
      outstanding: t.outstanding,
      disconnected: t.disconnected,
      deletedCompletions: t.deletedCompletions,
    })),
    rebackups: r.rebackups,
    notInjected: r.notInjected,
    world: g.world.record(),
  };
}

/** `pair` for a group: prints the console (or `--json`) and returns the exit status. */
export function runGroupCommand(
  image: ProgramImage,
  opts: GroupOptions,
  args: ParsedArgs,
  io: CliIo,
  deadline: Deadline,
  from: 'guest' | 'status',
): number {
  const g = new Group(image, opts);
  const { result: r, timedOut } = runGroupTimed(g, deadline);
  const stop = timedOut ? 'timeout' : r.stop;
  io.stdout(flag(args, 'json') ? JSON.stringify(groupJson(g, r, stop)) + '\n' : r.console);
  if (!io.quiet) for (const n of r.notInjected) io.stderr(`note: --fail-at ${n}; no failure was injected for it\n`);
  if (stop === 'fault' && r.replicas.every((x) => !x.alive)) io.stderr('every replica of the group failed\n');
  else if (stop !== 'halt')
    io.stderr((timedOut ? describeTimeout(deadline.seconds!, r.instructions, r.pc, image) : describeStop(r, g, image)) + '\n');
  const outcome = stop === 'halt' ? `halted with exit code ${r.exitCode}` : stop === 'fault' ? 'guest fault' : stop;
  printSummary(
    io,
    flag(args, 'summary'),
    'pair',
    [
      outcome,
      `${r.instructions} instructions`,
      `${r.epochs} epochs`,
      `${r.messages} messages`,
      `${r.failures.length} failures, ${r.takeovers.length} takeovers, ${r.rebackups.filter((b) => b.outcome === 'joined').length} rebackups`,
      r.unprotected ? 'unprotected at the end' : `${r.backups} of ${r.backupsAtStart} backups at the end`,
    ],
    deadline.elapsed(),
  );
  return stop === 'halt' ? exitForHalt(r.exitCode, from) : exitForStop(stop);
}
