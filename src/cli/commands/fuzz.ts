/** `shadowvm fuzz`: fails the primary (or the backup) at every distinct point, or at seeded random points, and checks the oracles. */
import { DEFAULTS } from '../../base/defaults.js';
import { exitBudgetFor } from '../../base/exit-budget.js';
import cliProgress from 'cli-progress';
import type { Command } from '../command.js';
import { flag, intOpt, onePositional, readOptionalFile, stringOpt } from '../args.js';
import { progressLines } from '../progress-lines.js';
import { EXIT, exitForStop } from '../exit-codes.js';
import { loadProgram } from '../../asm/load.js';
import { fuzzFailover, type FuzzMode, type FuzzOptions } from '../../fuzz/fuzz.js';
import { caseBudget } from '../../fuzz/case.js';
import { printReport, jsonOf } from '../fuzz-output.js';
import { mergeFiles } from './fuzz-merge.js';
import { DEFAULT_CASE_CONFIG } from '../../fuzz/reference.js';
import { FLAW_NAMES, OUTSTANDING_POLICIES, type FlawName, type FuzzCase, type OutstandingPolicy } from '../../fuzz/case.js';
import { parseFaultPoint, type FailurePoint, type FaultPoint } from '../../ft/failure-point.js';
import { ShadowError } from '../../base/errors.js';
import { TRACE_OPTION, saveTrace, traceOpt } from '../trace-option.js';
import { traceFuzzCase } from '../../debug/trace-fuzz.js';

const USAGE =
  'shadowvm fuzz PROGRAM [--exhaustive | --runs N | --every-instruction] [--seed S] [--workers N] [--shard I/N] [--bail] [--json] [--time-limit SEC]\n' +
  '       shadowvm fuzz --merge PART.json... [--json]';

function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw new ShadowError('USAGE', `--shard: expected I/N with 1 <= I <= N, got '${text}'`);
  return { index, count };
}

function parsePace(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(n > 0 && n <= 1))
    throw new ShadowError('USAGE', `--backup-pace: expected a number in (0, 1], got '${text}'`);
  return n;
}

function parseCuts(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',');
  if (!parts.every((p) => /^\d+$/.test(p) && Number(p) >= 1 && Number.isSafeInteger(Number(p)))) {
    throw new ShadowError('USAGE', `--epoch-cut: expected instruction counts >= 1 separated by commas, got '${text}'`);
  }
  return parts.map(Number);
}

export const fuzzCommand: Command = {
  name: 'fuzz',
  usage: USAGE,
  options: {
    exhaustive: { type: 'boolean', description: 'check every distinct failure point (the default)' },
    'every-instruction': { type: 'boolean', description: 'check every instruction boundary (small programs): proves the equivalence' },
    runs: { type: 'string', valueName: 'N', description: 'a random campaign of N runs instead' },
    seed: { type: 'string', valueName: 'S', description: 'the campaign seed, or the pair seed of a sweep (default 1)' },
    workers: { type: 'string', valueName: 'N', description: 'worker threads (default: the number of cores)' },
    shard: { type: 'string', valueName: 'I/N', description: "check only this machine's share I of N" },
    json: { type: 'boolean', description: 'print one JSON object' },
    merge: {
      type: 'boolean',
      description: "the arguments are 'fuzz --shard I/N --json' reports: merge them into the whole sweep's (as fuzz-merge does)",
    },
    'no-shrink': { type: 'boolean', description: 'campaign: do not shrink the earliest failing case (shrinking is on by default)' },
    bail: { type: 'boolean', description: 'stop at the first violation (with --workers 1, the earliest failing case)' },
    'seeded-only': {
      type: 'boolean',
      description: "exhaustive: skip the schedule cases (epoch cuts); only the seeded schedule's failure points",
    },
    'time-limit': { type: 'string', valueName: 'SEC', description: 'start no new case after SEC seconds' },
    epoch: { type: 'string', valueName: 'N', description: `instructions per epoch (default ${DEFAULTS.epochLength})` },
    'trap-delay': { type: 'string', valueName: 'D', description: 'largest delay of deferred traps (default 16)' },
    'channel-capacity': { type: 'string', valueName: 'N', description: 'messages the channel holds (default 1024)' },
    'backup-pace': { type: 'string', valueName: 'P', description: 'probability the backup runs after each primary epoch (default 1)' },
    'drain-ends-epoch': { type: 'boolean', description: 'a drain also ends the epoch' },
    'epoch-cut': {
      type: 'string',
      valueName: 'N[,N...]',
      description: 'replay: also end an epoch at these instruction counts (a schedule case)',
    },
    ram: { type: 'string', valueName: 'MiB', description: 'RAM per computer (default 16)' },
    'max-instructions': {
      type: 'string',
      valueName: 'N',
      description: 'instruction budget per computer (default: 4x the failure-free run)',
    },
    input: { type: 'string', valueName: 'FILE', description: 'console input stream' },
    disk: { type: 'string', valueName: 'FILE', description: 'initial disk image' },
    'fail-at': {
      type: 'string',
      valueName: 'POINT',
      description: 'replay: check only this failure point (instruction count, epoch:N, event:N, or partition@ any of them)',
    },
    'fail-side': {
      type: 'string',
      valueName: 'primary|backup',
      description: 'replay: which computer fails (default primary); with a partition, the one that loses the arbiter',
    },
    outstanding: {
      type: 'string',
      valueName: 'POLICY',
      description: 'replay: in-flight operations at the failure are performed, dropped or seeded',
    },
    'worker-memory': {
      type: 'string',
      valueName: 'MiB',
      description: `heap ceiling of each worker thread; a case past it is a resource verdict (default ${DEFAULTS.fuzzWorkerHeapMiB})`,
    },
    trace: { ...TRACE_OPTION, description: `with --fail-at: ${TRACE_OPTION.description}` },
    flaw: {
      type: 'string',
      multiple: true,
      valueName: 'NAME',
      description: `testing: run deliberately broken monitors (${FLAW_NAMES.join(', ')})`,
    },
  },
  async run(args, io) {
    if (flag(args, 'merge')) {
      const other = Object.keys(args.values).filter((k) => k !== 'merge' && k !== 'json' && k !== 'quiet' && args.values[k] !== undefined);
      if (other.length) throw new ShadowError('USAGE', `--merge takes only PART.json files and --json, not --${other[0]}\nUsage: ${USAGE}`);
      return mergeFiles(args.positionals, flag(args, 'json'), io, USAGE);
    }
    const file = onePositional(args, 'program', USAGE);
    const runs = intOpt(args, 'runs', 1, 10_000_000);
    const exhaustive = flag(args, 'exhaustive');
    const every = flag(args, 'every-instruction');
    const failAt = stringOpt(args, 'fail-at');
    if ([runs !== undefined, exhaustive, every, failAt !== undefined].filter(Boolean).length > 1) {
      throw new ShadowError('USAGE', `choose one of --exhaustive, --every-instruction, --runs and --fail-at\nUsage: ${USAGE}`);
    }
    const flaws = ((args.values.flaw as string[] | undefined) ?? []).map((f) => {
      if (!(FLAW_NAMES as readonly string[]).includes(f))
        throw new ShadowError('USAGE', `--flaw: unknown flaw '${f}' (known: ${FLAW_NAMES.join(', ')})`);
      return f as FlawName;
    });
    const outstanding = stringOpt(args, 'outstanding') ?? 'seeded';
    if (!(OUTSTANDING_POLICIES as readonly string[]).includes(outstanding)) {
      throw new ShadowError('USAGE', `--outstanding: expected one of ${OUTSTANDING_POLICIES.join(', ')}, got '${outstanding}'`);
    }
    const side = stringOpt(args, 'fail-side') ?? 'primary';
    if (side !== 'primary' && side !== 'backup') throw new ShadowError('USAGE', `--fail-side: expected primary or backup, got '${side}'`);
    const seed = intOpt(args, 'seed', 0, 0xffffffff);
    const config = {
      ...(seed !== undefined && runs === undefined ? { seed } : {}),
      ...(intOpt(args, 'epoch', 1, 1 << 30) !== undefined ? { epochLength: intOpt(args, 'epoch', 1, 1 << 30)! } : {}),
      ...(intOpt(args, 'trap-delay', 0, 1 << 20) !== undefined ? { trapDelayMax: intOpt(args, 'trap-delay', 0, 1 << 20)! } : {}),
      ...(intOpt(args, 'channel-capacity', 1, 1 << 24) !== undefined
        ? { channelCapacity: intOpt(args, 'channel-capacity', 1, 1 << 24)! }
        : {}),
      ...(parsePace(stringOpt(args, 'backup-pace')) !== undefined ? { backupPace: parsePace(stringOpt(args, 'backup-pace'))! } : {}),
      ...(flag(args, 'drain-ends-epoch') ? { drainEndsEpoch: true } : {}),
      ...(parseCuts(stringOpt(args, 'epoch-cut')) !== undefined ? { cuts: parseCuts(stringOpt(args, 'epoch-cut'))! } : {}),
    };
    const mode: FuzzMode = failAt !== undefined ? 'single' : runs !== undefined ? 'campaign' : every ? 'every-instruction' : 'exhaustive';
    const image = loadProgram(file);
    let single: FuzzCase | undefined;
    if (failAt !== undefined) {
      single = {
        ...DEFAULT_CASE_CONFIG,
        ...config,
        fail: side,
        ...faultCase(parseFaultPoint(failAt)),
        outstanding: outstanding as OutstandingPolicy,
      };
    }
    const bar =
      io.stderrIsTTY && !flag(args, 'json')
        ? new cliProgress.SingleBar(
            { format: 'fuzz [{bar}] {value}/{total} points | {failures} failing cases | ETA {eta_formatted}', stream: process.stderr },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
    // Off a terminal (a CI log), a plain line every 10 s instead of the bar, so a long sweep is never silent.
    const lines = !bar && !io.quiet ? progressLines(io.stderr, 'fuzz') : undefined;
    let started = false;
    const options: FuzzOptions = {
      mode,
      runs,
      seed,
      config,
      case: single,
      workers: intOpt(args, 'workers', 1, 256),
      shard: parseShard(stringOpt(args, 'shard')),
      timeLimitSec: intOpt(args, 'time-limit', 1, 1_000_000),
      flaws,
      ramMiB: intOpt(args, 'ram', 1, 1024),
      maxInstructions: intOpt(args, 'max-instructions', 1, Number.MAX_SAFE_INTEGER),
      workerHeapMiB: intOpt(args, 'worker-memory', 1, 1 << 20),
      input: readOptionalFile(stringOpt(args, 'input'), 'input file'),
      disk: readOptionalFile(stringOpt(args, 'disk'), 'disk image'),
      inputName: stringOpt(args, 'input'),
      diskName: stringOpt(args, 'disk'),
      stopAtFirstFailure: flag(args, 'bail'),
      schedules: !flag(args, 'seeded-only'),
      shrink: !flag(args, 'no-shrink'),
      programName: file,
      onProgress: bar
        ? (done, total, failures) => {
            if (!started) bar.start(total, 0, { failures: 0 });
            started = true;
            bar.update(done, { failures });
          }
        : lines?.update,
    };
    if (stringOpt(args, 'trace') !== undefined && !single)
      throw new ShadowError('USAGE', `--trace needs --fail-at: a trace shows one run\nUsage: ${USAGE}`);
    const tracePath = traceOpt(args);
    const report = await fuzzFailover(image, options);
    bar?.stop();
    if (tracePath !== undefined && single) {
      const env = {
        ramMiB: options.ramMiB,
        maxInstructions: caseBudget(options.maxInstructions, report.reference.instructions),
        flaws: options.flaws ?? [],
        input: options.input,
        disk: options.disk,
      };
      saveTrace(io, 'fuzz', tracePath, file, traceFuzzCase(image, single, env));
    }
    const stop = report.reference.stop;
    if (stop !== 'halt') {
      // Nothing to judge: the guest does not survive even without a failure.
      const what =
        stop === 'budget'
          ? report.reference.instructions < (options.maxInstructions ?? DEFAULTS.maxInstructions)
            ? `used up its exit budget (${exitBudgetFor(options.maxInstructions ?? DEFAULTS.maxInstructions)} traps and sensitive instructions, in ${report.reference.instructions} instructions)`
            : `ran out of its instruction budget (${report.reference.instructions} instructions)`
          : stop === 'diverged'
            ? "made the replicas' digests differ"
            : 'stopped on a fault it could not handle';
      io.stderr(`fuzz: the failure-free run of ${file} ${what}, so no failure point was checked; see: shadowvm pair ${file}\n`);
      if (flag(args, 'json')) io.stdout(JSON.stringify(jsonOf(report)) + '\n');
      return exitForStop(stop === 'budget' || stop === 'diverged' ? stop : 'fault');
    }
    printReport(report, io, flag(args, 'json'));
    // Only cases that ran out of memory (no oracle failed): the run could not check them, which is not a verdict on the guest.
    if (report.failures.length > 0 && report.failures.every((f) => f.oracle === 'resource')) return EXIT.RESOURCE;
    return report.failures.length ? EXIT.VERDICT : EXIT.OK;
  },
};

/** The point and partition flag of a replayed case. */
function faultCase(p: FaultPoint): { point: FailurePoint; partition?: true } {
  return p.partition ? { point: p.point, partition: true } : { point: p.point };
}
