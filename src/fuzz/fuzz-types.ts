/**
 * The shapes of a fuzz run (fuzz.ts): its modes and options, one failure it found, and the report it
 * returns (which `fuzz --json` prints, shards merge (merge.ts) and the summary table reads (summary.ts)).
 */
import type { FuzzCase } from './case.js';
import type { CaseConfig, EnvironmentOptions } from './reference.js';
import type { OracleName } from './oracles.js';
import type { CoverageReport } from './coverage.js';
import type { ShrunkFailure } from './shrink.js';
import type { PartitionClass } from './partition-classes.js';

export type FuzzMode = 'exhaustive' | 'every-instruction' | 'campaign' | 'single';

/** A fuzz run's options; the budget, inputs and flaws are its cases' environment (EnvironmentOptions). */
export interface FuzzOptions extends EnvironmentOptions {
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
