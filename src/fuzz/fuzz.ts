/**
 * `fuzzFailover`: proves that a guest program and the monitors survive a failure wherever it happens.
 * Modes: an exhaustive sweep of every distinct failure point (the primary's externally visible actions
 * split a run into K + 1 classes of equivalent points), a sweep of every instruction boundary (which
 * checks that equivalence), a seeded random campaign over configurations and failing sides, or one case.
 */
import { DEFAULTS } from '../base/defaults.js';
import { exitBudgetFor } from '../base/exit-budget.js';
import { availableParallelism } from 'node:os';
import type { ProgramImage } from '../../isa/image.js';
import { formatFaultPoint } from '../ft/failure-point.js';
import { ShadowError } from '../base/errors.js';
import { caseBudget, caseExitBudget, replayLine, type CaseEnvironment, type FlawName, type FuzzCase } from './case.js';
import { DEFAULT_CASE_CONFIG, runReference, type CaseConfig } from './reference.js';
import { ORACLES, ORACLE_NAMES, type OracleName } from './oracles.js';
import type { CaseReport, EngineInput, WorkPlan } from './engine.js';
import { runPool } from './pool.js';
import { earliestFailure } from './earliest.js';
import { planSchedules, type ScheduleCase } from './schedules.js';
import { CoverageTally, coverageReport, type CoverageReport } from './coverage.js';
import { shrunkFailure, type ShrunkFailure } from './shrink.js';
import { countCampaignPartitions } from './campaign-partitions.js';
import { classLabel, partitionClasses, singletonClasses, type PartitionClass } from './partition-classes.js';

export type { ShrunkFailure } from './shrink.js';

export type FuzzMode = 'exhaustive' | 'every-instruction' | 'campaign' | 'single';

export interface FuzzOptions {
  readonly mode?: FuzzMode;
  /** Campaign: number of random runs. */
  readonly runs?: number;
  /** Campaign seed; for sweeps, the pair's seed (default 1). */
  readonly seed?: number;
  /** The configuration swept (defaults: src/base/defaults.ts, no drain-ends-epoch). */
  readonly config?: Partial<CaseConfig>;
  /** The case to run in `single` mode (a replay line). */
  readonly case?: FuzzCase;
  readonly workers?: number;
  /** This machine's share of the work: index from 1 to count. */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly timeLimitSec?: number;
  /** Deliberately broken monitors, for proving the oracles bite. */
  readonly flaws?: readonly FlawName[];
  readonly ramMiB?: number;
  readonly maxInstructions?: number;
  readonly input?: Uint8Array;
  readonly disk?: Uint8Array;
  /** The paths `input` and `disk` came from, for replay lines. */
  readonly inputName?: string;
  readonly diskName?: string;
  /** How many cases are also run from reset (or twice) to check determinism (default 4). */
  readonly determinismSamples?: number;
  /** The program's path, for replay lines. */
  readonly programName?: string;
  /** Told after each case: failure points with a case reported so far, points in all, failing cases so far. */
  readonly onProgress?: (done: number, total: number, failures: number) => void;
  readonly maxSnapshots?: number;
  /** Heap ceiling of each worker thread in MiB (default DEFAULTS.fuzzWorkerHeapMiB); a case past it is a `resource` verdict. */
  readonly workerHeapMiB?: number;
  /** Stop at the first violation. With one worker the sweep runs in order, so that is the earliest failing point. */
  readonly stopAtFirstFailure?: boolean;
  /** Exhaustive mode: also run the schedule cases that open every operation's in-flight window (default true). */
  readonly schedules?: boolean;
  /** Campaign: shrink the earliest failing case to a smaller one that still fails (default true; see shrink.ts). */
  readonly shrink?: boolean;
  /** Cases the shrinker runs at most (default DEFAULTS.fuzzShrinkRuns). */
  readonly shrinkRuns?: number;
  /** Exhaustive mode: also partition the pair at every distinct point, each side losing the arbiter once; campaign: draw
   *  a partition case for 1 run in DEFAULTS.campaignPartitionOneIn (default true). */
  readonly partitions?: boolean;
  /** Exhaustive mode: run each class of equivalent partition points once (default true; partition-classes.ts). */
  readonly mergePartitions?: boolean;
}

export interface FuzzFailure {
  readonly point: string;
  /** The failed computer's instruction count at the failure (orders failures across schedules). */
  readonly atInstruction?: number;
  /** The schedule change of the case (its epoch cuts), if it is not the seeded schedule. */
  readonly cuts?: readonly number[];
  readonly side: 'primary' | 'backup' | 'none';
  /** A partition case: the class of equivalent points it was run for (`partition@event:N..M`). */
  readonly standsFor?: string;
  readonly oracle: OracleName;
  readonly detail: string;
  readonly replay: string;
}

export interface FuzzReport {
  readonly program: string;
  readonly mode: FuzzMode;
  /** The campaign seed, or the pair seed of a sweep. */
  readonly seed: number;
  /** The whole case list (every shard's items): failure points of the seeded schedule, then schedule cases. */
  readonly caseList: {
    readonly items: number;
    readonly basePoints: number;
    readonly schedules: number;
    readonly partitions?: number;
    /** The partition points the partition cases stand for (two cases per class; partition-classes.ts). */
    readonly partitionPoints?: number;
  };
  /** The classes of equivalent partition points, each run once per losing side: first point and size. */
  readonly partitionClasses?: readonly PartitionClass[];
  /** The items of the case list this report checked (at least one case each). */
  readonly itemsChecked: number[];
  /** Which uncertainty windows of which operations the cases opened (a campaign matches operations by id with the
   *  failure-free run of the sweep's configuration). */
  readonly coverage?: CoverageReport;
  /** Instruction boundaries of the failure-free run at which the primary could fail. */
  readonly points: number;
  /** Classes of equivalent failure points: the primary's externally visible actions + 1. */
  readonly distinctPoints: number;
  /** Cases run (a point whose failure leaves operations in flight is run twice: performed and dropped). */
  readonly checked: number;
  readonly failures: FuzzFailure[];
  /** The failing case with the earliest failure point, if any. */
  readonly earliest?: FuzzFailure;
  /** Campaign: the earliest failing case shrunk (absent with `shrink: false` or when nothing failed). */
  readonly shrunk?: ShrunkFailure;
  readonly seconds: number;
  readonly workers: number;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly stoppedByTimeLimit: boolean;
  readonly oracles: { readonly name: OracleName; readonly description: string; readonly failed: number }[];
  readonly determinism: { readonly checked: number; readonly mismatches: number };
  /** every-instruction mode: whether all boundaries of each class gave the same outcome. */
  readonly equivalence?: { readonly classes: number; readonly mismatches: number };
  readonly reference: { readonly exitCode: number; readonly instructions: number; readonly stop: string };
}

export async function fuzzFailover(image: ProgramImage, options: FuzzOptions = {}): Promise<FuzzReport> {
  const started = performance.now();
  const mode: FuzzMode = options.mode ?? (options.case ? 'single' : options.runs !== undefined ? 'campaign' : 'exhaustive');
  const config: CaseConfig = {
    ...DEFAULT_CASE_CONFIG,
    ...(options.seed !== undefined && mode !== 'campaign' ? { seed: options.seed } : {}),
    ...options.config,
  };
  const programName = options.programName ?? 'PROGRAM';
  const flaws = options.flaws ?? [];
  const baseEnv: CaseEnvironment = {
    ramMiB: options.ramMiB,
    maxInstructions: options.maxInstructions ?? DEFAULTS.maxInstructions,
    maxExits: exitBudgetFor(options.maxInstructions ?? DEFAULTS.maxInstructions),
    flaws: [],
    input: options.input,
    disk: options.disk,
    ...(options.inputName !== undefined ? { inputName: options.inputName } : {}),
    ...(options.diskName !== undefined ? { diskName: options.diskName } : {}),
  };
  // The failure-free run of the configuration, with correct monitors: how long the run is, and its budget.
  const reference = runReference(image, config, baseEnv, 0);
  const caseInstructions = caseBudget(options.maxInstructions, reference.outcome.instructions);
  const env: CaseEnvironment = {
    ...baseEnv,
    flaws,
    maxInstructions: caseInstructions,
    maxExits: caseExitBudget(caseInstructions, reference.exits),
  };
  const shard = options.shard;
  if (
    shard &&
    (!Number.isInteger(shard.index) || !Number.isInteger(shard.count) || shard.count < 1 || shard.index < 1 || shard.index > shard.count)
  ) {
    throw new ShadowError('USAGE', `--shard: expected I/N with 1 <= I <= N, got ${shard.index}/${shard.count}`);
  }

  let plan: WorkPlan;
  let allItems: number[];
  let schedules: ScheduleCase[] = [];
  let partitionPoints = 0;
  /** A campaign's runs that drew a partition (they are among its runs, not added to them). */
  let campaignPartitions = 0;
  let classes: PartitionClass[] = [];
  if (mode === 'single') {
    if (!options.case) throw new ShadowError('CONFIG', 'fuzz: single mode needs a case');
    plan = { kind: 'single', case: options.case };
    allItems = [0];
  } else if (mode === 'campaign') {
    const runs = options.runs ?? 100;
    plan = { kind: 'campaign', seed: options.seed ?? 1, ...(options.partitions === false ? { partitions: false } : {}) };
    allItems = Array.from({ length: runs }, (_, i) => i);
    if (options.partitions !== false) campaignPartitions = countCampaignPartitions(plan.seed, allItems);
  } else if (mode === 'every-instruction') {
    if (reference.instret > 200_000) {
      throw new ShadowError(
        'USAGE',
        `--every-instruction is for small programs: this run has ${reference.instret} instructions (limit 200000); use --exhaustive`,
      );
    }
    plan = { kind: 'sweep', config, points: 'instructions' };
    allItems = Array.from({ length: reference.instret + 1 }, (_, i) => i);
  } else {
    schedules = options.schedules === false ? [] : planSchedules(reference.timeline);
    if (options.partitions !== false) {
      // The classes come from the failure-free run of the monitors the cases run (a flaw may change it).
      const classRun =
        flaws.length && options.mergePartitions !== false ? runReference(image, config, env, 0).timeline : reference.timeline;
      classes =
        options.mergePartitions === false ? singletonClasses(reference.events + 1) : partitionClasses(classRun, reference.events + 1);
    }
    partitionPoints = classes.length;
    plan = {
      kind: 'sweep',
      config,
      points: 'events',
      schedules,
      basePoints: reference.events + 1,
      partitionPoints,
      partitionAt: classes.map((c) => c.point),
    };
    allItems = Array.from({ length: reference.events + 1 + schedules.length + 2 * partitionPoints }, (_, i) => i);
  }
  // A failure-free run that does not halt makes every case meaningless: it is the one failure reported.
  const sweepable = reference.outcome.stop === 'halt' ? allItems : [];
  const items = shard ? sweepable.filter((i) => i % shard.count === shard.index - 1) : sweepable;
  const samples = Math.min(items.length, options.determinismSamples ?? 4);
  const determinismItems = Array.from({ length: samples }, (_, i) => items[Math.floor((i * items.length) / samples)]!);
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), items.length));
  const deadline = options.timeLimitSec !== undefined ? Date.now() + options.timeLimitSec * 1000 : undefined;
  const inputs: EngineInput[] = Array.from({ length: workers }, (_, w) => ({
    image,
    programName,
    env,
    plan,
    items: items.filter((_, i) => i % workers === w),
    determinismItems,
    deadline,
    maxSnapshots: options.maxSnapshots,
    expectedEvents: reference.events,
    stopAtFirstFailure: options.stopAtFirstFailure,
  }));

  const reports: CaseReport[] = [];
  const pointsDone = new Set<number>();
  const tally = new CoverageTally();
  let failuresSoFar = 0;
  const pool = await runPool(
    inputs,
    (r) => {
      reports.push(r);
      pointsDone.add(r.index);
      tally.add(r.windows);
      if (r.violations.length) failuresSoFar++;
      options.onProgress?.(pointsDone.size, items.length, failuresSoFar);
    },
    { heapMiB: options.workerHeapMiB },
  );
  reports.sort((a, b) => a.index - b.index);

  const failures: FuzzFailure[] = [];
  const caseOf = new Map<FuzzFailure, FuzzCase>();
  const perOracle = new Map<OracleName, number>(ORACLE_NAMES.map((n) => [n, 0]));
  const classOf = new Map(classes.filter((c) => c.points > 1).map((c) => [c.point, c]));
  for (const r of reports) {
    for (const v of r.violations) {
      perOracle.set(v.oracle, perOracle.get(v.oracle)! + 1);
      const failure: FuzzFailure = {
        point: formatFaultPoint({ partition: r.case.partition === true, point: r.case.point }),
        side: r.case.fail,
        ...(r.case.partition && classOf.get(r.case.point.n) ? { standsFor: classLabel(classOf.get(r.case.point.n)!) } : {}),
        oracle: v.oracle,
        detail: v.detail,
        replay: r.replay,
        ...(r.failedAtInstruction !== undefined ? { atInstruction: r.failedAtInstruction } : {}),
        ...(r.case.cuts?.length ? { cuts: r.case.cuts } : {}),
      };
      failures.push(failure);
      caseOf.set(failure, r.case);
    }
  }
  if (reference.outcome.stop !== 'halt') {
    const none: FuzzCase = { ...config, fail: 'none', point: { kind: 'event', n: 0 }, outstanding: 'seeded' };
    failures.unshift({
      point: 'none',
      side: 'none',
      oracle: reference.outcome.stop === 'fault' ? 'guest-fault' : reference.outcome.stop === 'diverged' ? 'digests' : 'hang',
      detail: `the failure-free run itself ended with '${reference.outcome.stop}'`,
      replay: replayLine(programName, none, env),
    });
  }
  let equivalence: FuzzReport['equivalence'];
  if (mode === 'every-instruction') {
    const classes = new Map<number, Set<string>>();
    for (const r of reports) {
      if (r.failedAfterEvents === undefined || r.case.outstanding !== 'dropped') continue;
      const set = classes.get(r.failedAfterEvents) ?? new Set<string>();
      set.add(r.outcomeKey);
      classes.set(r.failedAfterEvents, set);
    }
    equivalence = { classes: classes.size, mismatches: [...classes.values()].filter((s) => s.size > 1).length };
  }
  const earliest = earliestFailure(failures);
  const complete = !shard && !pool.stoppedByDeadline && pointsDone.size === allItems.length;
  const toShrink = mode === 'campaign' && options.shrink !== false && earliest ? caseOf.get(earliest) : undefined;
  const shrunk = toShrink && shrunkFailure(image, toShrink, env, programName, config, options.shrinkRuns, deadline);
  return {
    program: programName,
    mode,
    seed: mode === 'campaign' ? (options.seed ?? 1) : config.seed,
    caseList: {
      items: allItems.length,
      basePoints: allItems.length - schedules.length - 2 * partitionPoints,
      schedules: schedules.length,
      ...(partitionPoints ? { partitions: 2 * partitionPoints, partitionPoints: reference.events + 1 } : {}),
      ...(campaignPartitions ? { partitions: campaignPartitions } : {}),
    },
    ...(partitionPoints ? { partitionClasses: classes } : {}),
    itemsChecked: [...pointsDone].sort((a, b) => a - b),
    coverage:
      mode === 'exhaustive' || mode === 'campaign'
        ? coverageReport(
            reference.timeline,
            tally,
            mode === 'campaign'
              ? 'sampled'
              : !complete
                ? 'stopped'
                : failures.length
                  ? 'violations'
                  : options.schedules === false
                    ? 'seeded-only'
                    : 'gap',
          )
        : undefined,
    points: reference.instret + 1,
    distinctPoints: reference.events + 1,
    checked: reports.length,
    failures,
    earliest,
    ...(shrunk ? { shrunk } : {}),
    seconds: (performance.now() - started) / 1000,
    workers: pool.threads,
    shard,
    stoppedByTimeLimit: pool.stoppedByDeadline,
    oracles: ORACLES.map((o) => ({ name: o.name, description: o.description, failed: perOracle.get(o.name)! })).concat([
      {
        name: 'determinism',
        description: 'sampled cases run again from reset gave the same run bit for bit',
        failed: perOracle.get('determinism')!,
      },
      { name: 'resource', description: "the case ran within the worker's memory ceiling", failed: perOracle.get('resource')! },
    ]),
    determinism: {
      checked: reports.filter((r) => r.checkedDeterminism).length,
      mismatches: reports.filter((r) => r.nondeterministic).length,
    },
    equivalence,
    reference: { exitCode: reference.outcome.exitCode, instructions: reference.outcome.instructions, stop: reference.outcome.stop },
  };
}
