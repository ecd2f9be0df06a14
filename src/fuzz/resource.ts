/**
 * A fuzz worker that runs out of memory, or a run in it that passes a memory bound: which case to blame, the `resource` verdict reported for it (with
 * its replay line, like any failing case), and the work that goes on in a fresh worker. The worker tells
 * its pool of each case before running it, so the blamed case is the last one it started and did not
 * report; when it dies before starting a case, it died in a failure-free reference run.
 */
import { Random } from '../base/random.js';
import { deriveSeed } from '../base/seeds.js';
import { drawConfig, replayLine, type FuzzCase } from './case.js';
import type { CaseReport, EngineInput } from './engine.js';

/** The case a worker started last and did not finish, if any. */
export interface Started {
  readonly item: number;
  readonly case: FuzzCase;
}

/** Where a dead worker was. */
export interface DeathPoint {
  /** The case it had started and not reported; undefined when it died outside a case (in a reference run). */
  readonly started: Started | undefined;
  /** Items with at least one case reported. */
  readonly reported: ReadonlySet<number>;
}

/** The reference (failure-free) case of an item: the sweep's configuration, or a campaign run's own. */
function referenceCase(input: EngineInput, item: number): FuzzCase {
  const plan = input.plan;
  const config =
    plan.kind === 'sweep' ? plan.config : plan.kind === 'single' ? plan.case : drawConfig(new Random(deriveSeed(plan.seed, `run:${item}`)));
  return { ...config, fail: 'none', point: { kind: 'event', n: 0 }, outstanding: 'seeded' };
}

/**
 * The verdict (`why` it ended, e.g. "the fuzz worker ran out of memory (heap ceiling 1024 MiB)") for a
 * worker that stopped at `at` with its share `input`, and the share that is left (undefined
 * when nothing more can run). A case that was started is blamed, and the items after it go on (a sweep
 * point's second, `performed`, case is not tried: it depends on the outcome of the first). Otherwise the
 * first unreported item's reference run is blamed; a sweep's items all need that reference, so none go on.
 */
export function afterResource(input: EngineInput, at: DeathPoint, why: string): { report: CaseReport; rest: EngineInput | undefined } {
  const inCase = at.started !== undefined;
  const blamedItem = at.started?.item ?? input.items.find((i) => !at.reported.has(i)) ?? input.items[input.items.length - 1]!;
  const c = inCase ? at.started!.case : referenceCase(input, blamedItem);
  const report: CaseReport = {
    index: blamedItem,
    case: c,
    violations: [
      {
        oracle: 'resource',
        detail: inCase ? `${why} during this case` : `${why} in the failure-free reference run`,
      },
    ],
    replay: replayLine(input.programName, c, input.env),
    outcomeKey: 'resource',
    failedAfterEvents: undefined,
    checkedDeterminism: false,
  };
  const after = input.items.filter((i) => i > blamedItem);
  const goesOn = (inCase || input.plan.kind === 'campaign') && after.length > 0;
  return { report, rest: goesOn ? { ...input, items: after } : undefined };
}
