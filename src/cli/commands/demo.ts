/** `shadowvm demo` (what `npm start` runs): a guest under both monitors, the primary failing midway, the backup finishing. */
import { rmSync } from 'node:fs';
import { DEFAULTS } from '../../base/defaults.js';
import type { Command } from '../command.js';
import { flag, intOpt, stringOpt } from '../args.js';
import type { ParsedArgs } from '../command.js';
import type { ProgramImage } from '../../../isa/image.js';
import { tellPartitionStory } from '../partition-story.js';
import { Deadline, TIMEOUT_OPTION, timeoutOpt } from '../deadline.js';
import { STDIN_NAME, loadProgramArg } from '../stdin.js';
import { tellStory } from '../story.js';
import { exitBudgetFor } from '../../base/exit-budget.js';
import { tellGroupStory } from '../group-story.js';
import { PARTITION_PAIR_ONLY } from '../group-run.js';
import { parseFailureSequence } from '../../ft/failure-sequence.js';
import { parseFailurePoint, parseFaultPoint } from '../../ft/failure-point.js';
import { bundledProgram } from '../../base/paths.js';
import { ShadowError } from '../../base/errors.js';
import { EXIT, exitForStop } from '../exit-codes.js';
import { TRACE_OPTION, refuseForGroup, saveTrace, traceOpt } from '../trace-option.js';
import { tracePair } from '../../debug/trace-pair.js';

const USAGE =
  'shadowvm demo [PROGRAM] [--fail-at POINT] [--backups K [--rebackup-after N] [--fail-at LIST]] [--partition [--lose primary|backup]] [--seed S] [--epoch N] [--max-instructions N] [--timeout SEC]';

export const demoCommand: Command = {
  name: 'demo',
  usage: USAGE,
  options: {
    'fail-at': { type: 'string', valueName: 'POINT', description: 'where the primary fails (default: midway, with disk writes in flight)' },
    partition: {
      type: 'boolean',
      description: 'a split brain instead: the channel is cut at --fail-at (N, event:N or epoch:N; default midway) while both run on',
    },
    lose: {
      type: 'string',
      valueName: 'primary|backup',
      description: 'with --partition: the side that asks the arbiter second and loses (default primary)',
    },
    seed: { type: 'string', valueName: 'S', description: 'seed of the run (default 1)' },
    epoch: { type: 'string', valueName: 'N', description: `instructions per epoch (default ${DEFAULTS.epochLength})` },
    'max-instructions': {
      type: 'string',
      valueName: 'N',
      description: `instruction budget of each run (default ${DEFAULTS.maxInstructions})`,
    },
    trace: { ...TRACE_OPTION, description: `${TRACE_OPTION.description} (the run with the failure)` },
    backups: { type: 'string', valueName: 'K', description: 'tell a replica group with K backups instead (a double failure by default)' },
    'rebackup-after': {
      type: 'string',
      valueName: 'N',
      description: 'with --backups: epochs after a loss before a new backup joins by state transfer (default 2)',
    },
    timeout: {
      ...TIMEOUT_OPTION,
      description: 'stop after SEC seconds of wall-clock time for the whole demo, exit 69 (default: no timeout)',
    },
  },
  async run(args, io) {
    const deadline = new Deadline(timeoutOpt(args));
    if (args.positionals.length > 1) throw new ShadowError('USAGE', `expected at most one program\nUsage: ${USAGE}`);
    const file = args.positionals[0] ?? bundledProgram('programs/build/journal.elf');
    const image = loadProgramArg(file, io);
    const failAt = stringOpt(args, 'fail-at');
    const maxInstructions = intOpt(args, 'max-instructions', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULTS.maxInstructions;
    const backups = intOpt(args, 'backups', 1, 8);
    const grouped = backups !== undefined || stringOpt(args, 'rebackup-after') !== undefined;
    if (grouped && (flag(args, 'partition') || /(^|,)\s*partition@/.test(failAt ?? ''))) {
      throw new ShadowError('USAGE', `${PARTITION_PAIR_ONLY}\nUsage: ${USAGE}`);
    }
    if (backups !== undefined) refuseForGroup(args);
    if (flag(args, 'partition') && stringOpt(args, 'trace') !== undefined) {
      throw new ShadowError('USAGE', '--trace cannot be used with --partition: the trace draws the failover story only');
    }
    const tracePath = traceOpt(args);
    let trace: ReturnType<typeof tracePair> | undefined;
    if (backups !== undefined) {
      const name = (args.positionals[0] === '-' ? STDIN_NAME : args.positionals[0]) ?? 'programs/build/journal.elf';
      const g = tellGroupStory(
        image,
        name,
        {
          backups,
          rebackupAfter: intOpt(args, 'rebackup-after', 0, 1 << 30) ?? 2,
          seed: intOpt(args, 'seed', 0, 0xffffffff) ?? DEFAULTS.seed,
          monitor: { epochLength: intOpt(args, 'epoch', 1, 1 << 30) ?? DEFAULTS.epochLength, checkDigests: true },
          maxInstructions: intOpt(args, 'max-instructions', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULTS.maxInstructions,
        },
        failAt === undefined ? undefined : parseFailureSequence(failAt),
        deadline,
      );
      if (g.timedOut) {
        io.stderr(`timeout: ${deadline.seconds} s elapsed; raise it with --timeout SEC\n`);
        return EXIT.BUDGET;
      }
      if (g.reference.stop !== 'halt') {
        io.stderr(g.text);
        return exitForStop(g.reference.stop);
      }
      io.stdout(g.text);
      return g.survived ? EXIT.OK : EXIT.VERDICT;
    }
    if (flag(args, 'partition')) return partitionDemo(args, io, image, failAt, deadline);
    if (stringOpt(args, 'lose') !== undefined) throw new ShadowError('USAGE', `--lose needs --partition\nUsage: ${USAGE}`);
    const story = tellStory(
      image,
      (args.positionals[0] === '-' ? STDIN_NAME : args.positionals[0]) ??
        'programs/build/journal.elf (a disk journal on the guest kernel library)',
      {
        seed: intOpt(args, 'seed', 0, 0xffffffff) ?? DEFAULTS.seed,
        monitor: { epochLength: intOpt(args, 'epoch', 1, 1 << 30) ?? DEFAULTS.epochLength, checkDigests: true },
        maxInstructions,
        maxExits: exitBudgetFor(maxInstructions),
      },
      failAt === undefined ? undefined : parseFailurePoint(failAt),
      deadline,
      tracePath === undefined ? undefined : (pair) => (trace = tracePair(pair)),
    );
    if (trace) saveTrace(io, 'demo', tracePath!, file, trace.finish());
    // No run with the failure (the failure-free run did not halt): no trace, rather than an empty file.
    else if (tracePath !== undefined) rmSync(tracePath, { force: true });
    if (!story.told) {
      io.stderr(story.text);
      if (story.timedOut) return EXIT.BUDGET;
      return story.reference.stop === 'halt' ? EXIT.INTERNAL : exitForStop(story.reference.stop);
    }
    io.stdout(story.text);
    return story.sameOutput ? EXIT.OK : EXIT.VERDICT;
  },
};

/** `demo --partition`: the split-brain story. */
function partitionDemo(
  args: ParsedArgs,
  io: Parameters<Command['run']>[1],
  image: ProgramImage,
  failAt: string | undefined,
  deadline: Deadline,
): number {
  const lose = stringOpt(args, 'lose') ?? 'primary';
  if (lose !== 'primary' && lose !== 'backup') throw new ShadowError('USAGE', `--lose: expected primary or backup, got '${lose}'`);
  const point = failAt === undefined ? undefined : parseFaultPoint(failAt.startsWith('partition@') ? failAt : `partition@${failAt}`).point;
  const story = tellPartitionStory(
    image,
    args.positionals[0] === '-'
      ? STDIN_NAME
      : (args.positionals[0] ?? 'programs/build/journal.elf (a disk journal on the guest kernel library)'),
    {
      seed: intOpt(args, 'seed', 0, 0xffffffff) ?? DEFAULTS.seed,
      monitor: { epochLength: intOpt(args, 'epoch', 1, 1 << 30) ?? DEFAULTS.epochLength, checkDigests: true },
      maxInstructions: intOpt(args, 'max-instructions', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULTS.maxInstructions,
    },
    point,
    lose,
    deadline,
  );
  if (!story.told) {
    io.stderr(story.text);
    if (story.timedOut) return EXIT.BUDGET;
    return story.referenceStop === undefined ? EXIT.INTERNAL : exitForStop(story.referenceStop);
  }
  io.stdout(story.text);
  return story.ok ? EXIT.OK : EXIT.VERDICT;
}
