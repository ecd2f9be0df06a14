/**
 * `fuzzFailover`: proves that a guest program and the monitors survive a failure wherever it happens.
 * Modes: an exhaustive sweep of every distinct failure point (the primary's externally visible actions
 * split a run into K + 1 classes of equivalent points), a sweep of every instruction boundary (which
 * checks that equivalence), a seeded random campaign over configurations and failing sides, or one case.
 * This file runs them: the case list is planned in case-list.ts, the cases run in worker threads (pool.ts),
 * and what their reports add up to is found in findings.ts; the report's shapes are in fuzz-types.ts.
 */
import { availableParallelism } from 'node:os';
import type { ProgramImage } from '../../isa/image.js';
import { ShadowError } from '../base/errors.js';
import { DEFAULT_CASE_CONFIG, referenceEnvironment, type CaseConfig } from './reference.js';
import type { CaseReport, EngineInput } from './engine.js';
import { runPool } from './pool.js';
import { earliestFailure } from './earliest.js';
import { CoverageTally, coverageReport } from './coverage.js';
import { shrunkFailure } from './shrink.js';
import { planCaseList } from './case-list.js';
import { determinismOf, equivalenceOf, findFailures, oracleCounts } from './findings.js';
import type { FuzzMode, FuzzOptions, FuzzReport } from './fuzz-types.js';

export type { ShrunkFailure } from './shrink.js';
export type { FuzzFailure, FuzzMode, FuzzOptions, FuzzReport } from './fuzz-types.js';

export async function fuzzFailover(image: ProgramImage, options: FuzzOptions = {}): Promise<FuzzReport> {
  const started = performance.now();
  const mode: FuzzMode = options.mode ?? (options.case ? 'single' : options.runs !== undefined ? 'campaign' : 'exhaustive');
  const config: CaseConfig = {
    ...DEFAULT_CASE_CONFIG,
    ...(options.seed !== undefined && mode !== 'campaign' ? { seed: options.seed } : {}),
    ...options.config,
  };
  const programName = options.programName ?? 'PROGRAM';
  // The failure-free run of the configuration, with correct monitors: how long the run is, and its budget.
  const { reference, env } = referenceEnvironment(image, config, options);
  const shard = options.shard;
  if (
    shard &&
    (!Number.isInteger(shard.index) || !Number.isInteger(shard.count) || shard.count < 1 || shard.index < 1 || shard.index > shard.count)
  ) {
    throw new ShadowError('USAGE', `--shard: expected I/N with 1 <= I <= N, got ${shard.index}/${shard.count}`);
  }

  const { plan, allItems, schedules, partitionPoints, campaignPartitions, classes } = planCaseList(
    image,
    mode,
    options,
    config,
    reference,
    env,
  );
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

  const { failures, caseOf, perOracle } = findFailures(reports, classes, reference, config, programName, env);
  const equivalence = mode === 'every-instruction' ? equivalenceOf(reports) : undefined;
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
    oracles: oracleCounts(perOracle),
    determinism: determinismOf(reports),
    equivalence,
    reference: { exitCode: reference.outcome.exitCode, instructions: reference.outcome.instructions, stop: reference.outcome.stop },
  };
}
