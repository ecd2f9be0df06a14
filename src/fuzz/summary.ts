/** The fuzz report as a plain-text summary table (the CLI's closing output). */
import type { FuzzReport } from './fuzz-types.js';
import type { CoverageReport } from './coverage.js';

/** The window coverage table: per operation kind, how many operations had each window opened. */
export function coverageTable(c: CoverageReport): string[] {
  const lines: string[] = [];
  const kw = Math.max(5, ...c.kinds.map((k) => k.kind.length));
  const cell = (n: number, of: number, w: string): string => `${n}/${of}`.padStart(w.length);
  lines.push(`window coverage (operations of the failure-free run whose window a case opened):`);
  lines.push(`${'kind'.padEnd(kw)}  ${'ops'.padStart(4)}  ${c.windows.join('  ')}`);
  for (const k of [...c.kinds, { kind: 'total', ops: c.total.ops, tested: c.total.tested }]) {
    lines.push(`${k.kind.padEnd(kw)}  ${String(k.ops).padStart(4)}  ${c.windows.map((w) => cell(k.tested[w], k.ops, w)).join('  ')}`);
  }
  const impossible = c.untested.filter((u) => u.impossible);
  const gaps = c.untested.filter((u) => !u.impossible);
  const pct = c.total.possible ? ((100 * c.total.opened) / c.total.possible).toFixed(1) : '100.0';
  lines.push(
    `${c.total.opened} of ${c.total.possible} possible windows opened (${pct}%); ${impossible.length} impossible, ${gaps.length} not opened`,
  );
  const byReason = new Map<string, typeof c.untested>();
  for (const u of c.untested)
    byReason.set(`${u.impossible ? 'impossible' : 'not opened'}: ${u.window}: ${u.reason}`, [
      ...(byReason.get(`${u.impossible ? 'impossible' : 'not opened'}: ${u.window}: ${u.reason}`) ?? []),
      u,
    ]);
  for (const [reason, list] of byReason) {
    const ids = list
      .slice(0, 8)
      .map((u) => `op ${u.opId} (${u.kind})`)
      .join(', ');
    lines.push(`  ${reason}: ${ids}${list.length > 8 ? `, ... ${list.length - 8} more` : ''}`);
  }
  return lines;
}

export function summaryTable(r: FuzzReport): string {
  const lines: string[] = [];
  lines.push(
    `fuzz ${r.program}: ${r.mode}${r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : ''}, seed ${r.seed}, ${r.workers} worker(s), ${r.seconds.toFixed(1)} s`,
  );
  lines.push(
    `failure-free run: ${r.reference.stop}, exit code ${r.reference.exitCode}, ${r.reference.instructions} instructions; ` +
      `${r.points} failure points in ${r.distinctPoints} distinct classes` +
      (r.caseList.schedules ? `, plus ${r.caseList.schedules} schedule(s) with an epoch cut` : '') +
      (r.caseList.partitions
        ? r.mode === 'campaign'
          ? `; ${r.caseList.partitions} of the ${r.caseList.items} random cases are partitions`
          : `, plus ${r.caseList.partitions} partition case(s) (each side losing the arbiter, once per class of equivalent points: ` +
            `${r.caseList.partitions / 2} classes for ${r.caseList.partitionPoints ?? r.caseList.partitions / 2} points)`
        : '') +
      `; ${r.checked} cases checked` +
      (r.stoppedByTimeLimit ? ' (stopped by the time limit)' : ''),
  );
  lines.push('');
  const w = Math.max(...r.oracles.map((o) => o.name.length));
  lines.push(`${'oracle'.padEnd(w)}  failed  meaning`);
  for (const o of r.oracles) lines.push(`${o.name.padEnd(w)}  ${String(o.failed).padStart(6)}  ${o.description}`);
  lines.push('');
  lines.push(`determinism: ${r.determinism.checked} sampled case(s) run again from reset, ${r.determinism.mismatches} differed`);
  if (r.equivalence) {
    lines.push(
      `equivalence: ${r.equivalence.classes} classes of instruction boundaries, ${r.equivalence.mismatches} with differing outcomes`,
    );
  }
  if (r.coverage) {
    lines.push('');
    lines.push(...coverageTable(r.coverage));
    if (r.mode === 'campaign') {
      lines.push(`  (a campaign's cases have their own configurations: operations are matched by id with the failure-free run above)`);
    }
  }
  if (r.earliest) {
    lines.push('');
    const e = r.earliest;
    const where = `${e.side} at ${e.point}${e.cuts ? ` with an epoch cut at instruction ${e.cuts.join(',')}` : ''}`;
    lines.push(`earliest failure: ${where}${e.standsFor ? ` (the class ${e.standsFor})` : ''}: ${e.oracle}: ${e.detail}`);
    lines.push(`replay: ${e.replay}`);
  }
  if (r.shrunk) {
    const s = r.shrunk;
    const where = `${s.side} at ${s.point}${s.cuts ? ` with an epoch cut at instruction ${s.cuts.join(',')}` : ''}`;
    const how = `${s.steps} simplification(s) in ${s.runs} runs, ${s.seconds.toFixed(1)} s${s.exhausted ? ', stopped by its budget of runs or time' : ''}`;
    lines.push(`shrunk (${how}): ${where}: ${s.oracle}: ${s.detail}`);
    lines.push(`shrunk replay: ${s.replay}`);
  }
  lines.push(r.failures.length ? `${r.failures.length} violation(s) found` : 'every check held');
  return lines.join('\n') + '\n';
}
