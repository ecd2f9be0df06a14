/** `shadowvm fuzz-sequences`: two failures in a replica group, with a rebackup between (fuzz/sequences.ts). */
import { DEFAULTS } from '../../base/defaults.js';
import type { Command } from '../command.js';
import { flag, intOpt, onePositional, stringOpt } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { loadProgramArg } from '../stdin.js';
import { sweepFailureSequences, type SweptReplica } from '../../fuzz/sequences.js';
import { ShadowError } from '../../base/errors.js';
import { checkGroupRam } from '../group-run.js';

const USAGE =
  'shadowvm fuzz-sequences PROGRAM [--backups K] [--rebackup-after N] [--first N] [--replicas LIST] [--seed S] [--epoch N] [--ram MiB] [--json] [--time-limit SEC]';

export const fuzzSequencesCommand: Command = {
  name: 'fuzz-sequences',
  usage: USAGE,
  options: {
    backups: { type: 'string', valueName: 'K', description: 'backups in the group (default 2)' },
    'rebackup-after': { type: 'string', valueName: 'N', description: 'epochs after a loss before a rebackup starts (default 2)' },
    replicas: {
      type: 'string',
      valueName: 'LIST',
      description: 'replicas the sweep fails, of primary, backup and joining (default: all three)',
    },
    first: { type: 'string', valueName: 'N', description: 'at most N first failure points, spread over the run (default: every one)' },
    seed: { type: 'string', valueName: 'S', description: `seed of every run (default ${DEFAULTS.seed})` },
    epoch: { type: 'string', valueName: 'N', description: `instructions per epoch (default ${DEFAULTS.epochLength})` },
    ram: { type: 'string', valueName: 'MiB', description: `RAM of each computer in MiB (default ${DEFAULTS.ramMiB})` },
    json: { type: 'boolean', description: 'print the report as one JSON object' },
    'time-limit': { type: 'string', valueName: 'SEC', description: 'stop the sweep after SEC seconds (the report says it is partial)' },
  },
  async run(args, io) {
    const file = onePositional(args, 'program', USAGE);
    const image = loadProgramArg(file, io);
    const limit = intOpt(args, 'time-limit', 1, 1 << 30);
    const backups = intOpt(args, 'backups', 1, 8) ?? 2;
    const ramMiB = intOpt(args, 'ram', 1, 1024);
    checkGroupRam(backups, ramMiB);
    const replicas = replicasOpt(stringOpt(args, 'replicas'));
    const report = sweepFailureSequences(image, {
      replicas,
      seed: intOpt(args, 'seed', 0, 0xffffffff) ?? DEFAULTS.seed,
      backups,
      rebackupAfter: intOpt(args, 'rebackup-after', 0, 1 << 30) ?? 2,
      maxFirst: intOpt(args, 'first', 1, 1 << 30),
      ramMiB,
      monitor: { epochLength: intOpt(args, 'epoch', 1, 1 << 30) ?? DEFAULTS.epochLength, checkDigests: true },
      timeLimitMs: limit === undefined ? undefined : limit * 1000,
      programName: file,
    });
    if (flag(args, 'json')) io.stdout(JSON.stringify(report) + '\n');
    else {
      const w = report.windows;
      const [f, s] = [report.firsts, report.seconds];
      const ok = report.cases.filter((c) => c.verdict === 'ok').length;
      io.stdout(
        [
          `${report.cases.length} cases from ${report.firstPoints} first failure points (${report.referenceEvents} events in the failure-free run)${report.complete ? '' : ', stopped by --time-limit'}`,
          `first failures: ${f.primary} of the primary, ${f.backup} of a backup`,
          `second failures: ${s.primary} of the primary, ${s.backup} of a backup, ${s.joining} of the replica joining`,
          `  ${w['after-takeover']} right after the takeover, ${w['after-loss']} right after a backup's loss, ${w['before-transfer']} before the transfer, ${w['during-transfer']} during it, ${w['after-join']} after the join`,
          `${ok} survived, ${report.lost} lost with no backup left (not a violation), ${report.violations.length} violations`,
          `mean case: ${report.msPerSingle.toFixed(0)} ms with one failure, ${report.msPerDouble.toFixed(0)} ms with two`,
          ...report.violations.map((c) => `${c.replay}   # ${c.violations.map((v) => `${v.oracle}: ${v.detail}`).join('; ')}`),
        ].join('\n') + '\n',
      );
    }
    if (report.violations.length > 0) return EXIT.VERDICT;
    return report.complete ? EXIT.OK : EXIT.BUDGET;
  },
};

const SWEPT: readonly SweptReplica[] = ['primary', 'backup', 'joining'];

function replicasOpt(text: string | undefined): SweptReplica[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(',').map((x) => x.trim());
  const bad = list.find((x) => !SWEPT.includes(x as SweptReplica));
  if (bad !== undefined || !list.includes('primary')) {
    throw new ShadowError('USAGE', `--replicas: expected a list of primary, backup and joining that names primary, got '${text}'`);
  }
  return list as SweptReplica[];
}
