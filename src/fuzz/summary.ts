/** The fuzz report as a plain-text summary table (the CLI's closing output). */
import type { FuzzReport } from './fuzz.js';

export function summaryTable(r: FuzzReport): string {
  const lines: string[] = [];
  lines.push(`fuzz ${r.program}: ${r.mode}${r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : ''}, ${r.workers} worker(s), ${r.seconds.toFixed(1)} s`);
  lines.push(
    `failure-free run: ${r.reference.stop}, exit code ${r.reference.exitCode}, ${r.reference.instructions} instructions; ` +
      `${r.points} failure points in ${r.distinctPoints} distinct classes; ${r.checked} cases checked` +
      (r.stoppedByTimeLimit ? ' (stopped by the time limit)' : ''),
  );
  lines.push('');
  const w = Math.max(...r.oracles.map((o) => o.name.length));
  lines.push(`${'oracle'.padEnd(w)}  failed  meaning`);
  for (const o of r.oracles) lines.push(`${o.name.padEnd(w)}  ${String(o.failed).padStart(6)}  ${o.description}`);
  lines.push('');
  lines.push(`determinism: ${r.determinism.checked} sampled case(s) run again from reset, ${r.determinism.mismatches} differed`);
  if (r.equivalence) {
    lines.push(`equivalence: ${r.equivalence.classes} classes of instruction boundaries, ${r.equivalence.mismatches} with differing outcomes`);
  }
  if (r.earliest) {
    lines.push('');
    lines.push(`earliest failure: ${r.earliest.side} at ${r.earliest.point}: ${r.earliest.oracle}: ${r.earliest.detail}`);
  }
  lines.push(r.failures.length ? `${r.failures.length} violation(s) found` : 'every check held');
  return lines.join('\n') + '\n';
}
