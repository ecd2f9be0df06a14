/**
 * What a fuzz run's case reports add up to: the failures (each violation of a case, and the one failure of a
 * failure-free run that does not halt), how many each oracle found, the determinism checks, and in
 * every-instruction mode whether the boundaries of each class of equivalent points gave one outcome.
 */
import { formatFaultPoint } from '../ft/failure-point.js';
import { replayLine, type CaseEnvironment, type FuzzCase } from './case.js';
import type { CaseConfig, Reference } from './reference.js';
import { ORACLES, ORACLE_NAMES, type OracleName } from './oracles.js';
import type { CaseReport } from './engine.js';
import { classLabel, type PartitionClass } from './partition-classes.js';
import type { FuzzFailure, FuzzReport } from './fuzz-types.js';

export interface Findings {
  /** In the reports' order (sorted by item), after the failure-free run's own failure if it did not halt. */
  readonly failures: FuzzFailure[];
  /** The case each failure of a report came from. */
  readonly caseOf: Map<FuzzFailure, FuzzCase>;
  /** Violations per oracle. */
  readonly perOracle: Map<OracleName, number>;
}

/** `classes`: the partition classes the sweep ran, so that a partition failure names the points its case stands for. */
export function findFailures(
  reports: readonly CaseReport[],
  classes: readonly PartitionClass[],
  reference: Reference,
  config: CaseConfig,
  programName: string,
  env: CaseEnvironment,
): Findings {
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
  return { failures, caseOf, perOracle };
}

/** Every oracle with its description and how many violations it found, the determinism and resource checks last. */
export function oracleCounts(perOracle: ReadonlyMap<OracleName, number>): FuzzReport['oracles'] {
  return ORACLES.map((o) => ({ name: o.name, description: o.description, failed: perOracle.get(o.name)! })).concat([
    {
      name: 'determinism',
      description: 'sampled cases run again from reset gave the same run bit for bit',
      failed: perOracle.get('determinism')!,
    },
    { name: 'resource', description: "the case ran within the worker's memory ceiling", failed: perOracle.get('resource')! },
  ]);
}

/** The cases also run from reset, and those whose two runs differed. */
export function determinismOf(reports: readonly CaseReport[]): FuzzReport['determinism'] {
  return {
    checked: reports.filter((r) => r.checkedDeterminism).length,
    mismatches: reports.filter((r) => r.nondeterministic).length,
  };
}

/** Every-instruction mode: the classes of boundaries (by events before the failure, in-flight operations dropped) and how many gave more than one outcome. */
export function equivalenceOf(reports: readonly CaseReport[]): NonNullable<FuzzReport['equivalence']> {
  const classes = new Map<number, Set<string>>();
  for (const r of reports) {
    if (r.failedAfterEvents === undefined || r.case.outstanding !== 'dropped') continue;
    const set = classes.get(r.failedAfterEvents) ?? new Set<string>();
    set.add(r.outcomeKey);
    classes.set(r.failedAfterEvents, set);
  }
  return { classes: classes.size, mismatches: [...classes.values()].filter((s) => s.size > 1).length };
}
