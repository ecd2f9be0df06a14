/**
 * A fuzz run's case list: from the mode and the failure-free run, the work plan the engine runs and every
 * item of it (every shard's): a single case; a campaign's runs (some of which draw a partition); every
 * instruction boundary; or an exhaustive sweep's distinct failure points, then its schedule cases
 * (schedules.ts), then two partition cases per class of equivalent partition points (partition-classes.ts).
 */
import type { ProgramImage } from '../../isa/image.js';
import { ShadowError } from '../base/errors.js';
import type { CaseEnvironment } from './case.js';
import { runReference, type CaseConfig, type Reference } from './reference.js';
import type { WorkPlan } from './engine.js';
import { planSchedules, type ScheduleCase } from './schedules.js';
import { countCampaignPartitions } from './campaign-partitions.js';
import { partitionClasses, singletonClasses, type PartitionClass } from './partition-classes.js';
import type { FuzzMode, FuzzOptions } from './fuzz-types.js';

export interface CaseList {
  readonly plan: WorkPlan;
  /** Every item of the case list, numbered from 0. */
  readonly allItems: number[];
  readonly schedules: ScheduleCase[];
  /** Classes of partition points an exhaustive sweep runs (two cases each); 0 otherwise. */
  readonly partitionPoints: number;
  /** A campaign's runs that drew a partition (they are among its runs, not added to them). */
  readonly campaignPartitions: number;
  readonly classes: PartitionClass[];
}

/** `env` is the cases' environment (with their flaws); `reference` the failure-free run of `config` with correct monitors. */
export function planCaseList(
  image: ProgramImage,
  mode: FuzzMode,
  options: FuzzOptions,
  config: CaseConfig,
  reference: Reference,
  env: CaseEnvironment,
): CaseList {
  let plan: WorkPlan;
  let allItems: number[];
  let schedules: ScheduleCase[] = [];
  let partitionPoints = 0;
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
        env.flaws.length && options.mergePartitions !== false ? runReference(image, config, env, 0).timeline : reference.timeline;
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
  return { plan, allItems, schedules, partitionPoints, campaignPartitions, classes };
}
