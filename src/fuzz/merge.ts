/**
 * Shards that add up: `fuzz --shard I/N --json` reports of one sweep merge into the report of the whole
 * sweep, after a check that the parts are of the same sweep (program, mode, seed, case list) and cover
 * its case list exactly once (no item in two parts, none in no part), as vitest's --merge-reports does.
 */
import { ShadowError } from '../base/errors.js';
import { buildCoverage, WINDOWS, type WindowName } from './coverage.js';
import type { FuzzReport } from './fuzz-types.js';
import { earliestFailure } from './earliest.js';

const isReport = (x: unknown): x is FuzzReport => {
  const r = x as FuzzReport | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.program === 'string' &&
    typeof r.mode === 'string' &&
    typeof r.caseList === 'object' &&
    r.caseList !== null &&
    Array.isArray(r.itemsChecked) &&
    Array.isArray(r.failures) &&
    Array.isArray(r.oracles)
  );
};

/** Lists numbers as ranges: 3, 5-9, 12. */
function ranges(ids: readonly number[], max = 6): string {
  const out: string[] = [];
  for (let i = 0; i < ids.length && out.length < max;) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    out.push(i === j ? `${ids[i]}` : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return out.join(', ') + (out.length === max ? ', ...' : '');
}

/** Merges parsed parts (named for messages); throws ShadowError('CONFIG') when they do not add up. */
export function mergeReports(parts: readonly { readonly name: string; readonly report: unknown }[]): FuzzReport {
  if (parts.length === 0) throw new ShadowError('USAGE', 'fuzz-merge: no parts given');
  for (const p of parts) {
    if (!isReport(p.report)) throw new ShadowError('CONFIG', `fuzz-merge: ${p.name} is not a report of 'shadowvm fuzz --json'`);
  }
  const reports = parts.map((p) => p.report as FuzzReport);
  const first = reports[0]!;
  const key = (r: FuzzReport): string => JSON.stringify([r.program, r.mode, r.seed, r.caseList]);
  for (let i = 1; i < reports.length; i++) {
    if (key(reports[i]!) !== key(first)) {
      throw new ShadowError(
        'CONFIG',
        `fuzz-merge: ${parts[i]!.name} is of a different sweep than ${parts[0]!.name} (program, mode, seed or case list differ)`,
      );
    }
  }
  const owner = new Map<number, string>();
  const twice: number[] = [];
  reports.forEach((r, i) => {
    for (const item of r.itemsChecked) {
      if (owner.has(item)) twice.push(item);
      else owner.set(item, parts[i]!.name);
    }
  });
  if (twice.length) {
    twice.sort((a, b) => a - b);
    throw new ShadowError('CONFIG', `fuzz-merge: ${twice.length} case(s) are in more than one part (items ${ranges(twice)})`);
  }
  const missing: number[] = [];
  for (let i = 0; i < first.caseList.items; i++) if (!owner.has(i)) missing.push(i);
  if (missing.length) {
    throw new ShadowError(
      'CONFIG',
      `fuzz-merge: ${missing.length} of ${first.caseList.items} case(s) are in no part (items ${ranges(missing)}): a shard is missing or stopped early`,
    );
  }

  const failures = reports.flatMap((r) => r.failures);
  const earliest = earliestFailure(failures);
  let coverage: FuzzReport['coverage'];
  if (reports.every((r) => r.coverage)) {
    const opened = Object.fromEntries(WINDOWS.map((w) => [w, new Set(reports.flatMap((r) => r.coverage!.testedOps[w]))])) as Record<
      WindowName,
      Set<number>
    >;
    const impossible = new Map<string, string>();
    for (const r of reports) for (const u of r.coverage!.untested) if (u.impossible) impossible.set(`${u.opId}/${u.window}`, u.reason);
    const closed = first.mode === 'campaign' ? 'sampled' : failures.length ? 'violations' : 'gap';
    coverage = buildCoverage(first.coverage!.ops, (id, w) => impossible.get(`${id}/${w}`), opened, closed);
  }
  // Each part of a campaign shrank its own earliest failure: the whole campaign's is the one of its earliest.
  const shrunk = earliest ? reports.find((r) => r.shrunk?.from === earliest.replay)?.shrunk : undefined;
  return {
    ...first,
    shard: undefined,
    shrunk,
    checked: reports.reduce((n, r) => n + r.checked, 0),
    itemsChecked: [...owner.keys()].sort((a, b) => a - b),
    failures,
    earliest,
    seconds: reports.reduce((n, r) => n + r.seconds, 0),
    workers: reports.reduce((n, r) => n + r.workers, 0),
    stoppedByTimeLimit: reports.some((r) => r.stoppedByTimeLimit),
    oracles: first.oracles.map((o) => ({
      ...o,
      failed: reports.reduce((n, r) => n + (r.oracles.find((x) => x.name === o.name)?.failed ?? 0), 0),
    })),
    determinism: {
      checked: reports.reduce((n, r) => n + r.determinism.checked, 0),
      mismatches: reports.reduce((n, r) => n + r.determinism.mismatches, 0),
    },
    coverage,
  };
}
