/** The campaign report as text: totals, a table of classes by kind and by command, failures with their replay lines. */
import { CLASSES, type OutcomeClass } from './classify.js';
import type { CampaignReport, Counts } from './campaign.js';

const mib = (b: number): string => `${(b / (1 << 20)).toFixed(0)} MiB`;

function table(title: string, rows: Record<string, Counts>): string[] {
  const cols: OutcomeClass[] = [...CLASSES];
  const head = [title.padEnd(10), ...cols.map((c) => c.padStart(12)), 'total'.padStart(8)].join('');
  const lines = [head];
  for (const [name, counts] of Object.entries(rows).sort()) {
    const total = cols.reduce((n, c) => n + counts[c], 0);
    lines.push(
      [(name || "''").slice(0, 10).padEnd(10), ...cols.map((c) => String(counts[c]).padStart(12)), String(total).padStart(8)].join(''),
    );
  }
  return lines;
}

export function campaignSummary(r: CampaignReport): string {
  const lines = [
    `torture: seed ${r.seed}: ${r.inputs} inputs in ${r.seconds.toFixed(1)} s (${r.perSecond.toFixed(0)} inputs/s), ` +
      `${r.processSamples.inputs} also through bin/shadowvm.js (${r.processSamples.suspicious} of them suspicious; ${r.processSamples.seconds.toFixed(1)} s of processes)`,
    `classes: ${CLASSES.map((c) => `${c} ${r.byClass[c]}`).join(', ')}`,
    `processes: ${
      CLASSES.filter((c) => r.processSamples.byClass[c])
        .map((c) => `${c} ${r.processSamples.byClass[c]}`)
        .join(', ') || 'none'
    }`,
    `exit codes: ${Object.entries(r.exitCodes)
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([c, n]) => `${c}:${n}`)
      .join(' ')}`,
    `slowest input ${r.slowest.index} (${(r.slowest.ms / 1000).toFixed(2)} s); peak worker heap ${mib(r.peakHeapBytes)}, peak rss ${mib(r.peakRssBytes)}`,
    '',
    ...table('kind', r.byKind),
    '',
    ...table('command', r.byCommand),
  ];
  if (r.probes.length) {
    lines.push('', 'bounds probes (default budgets, through bin/shadowvm.js):');
    for (const p of r.probes)
      lines.push(
        `  ${p.line.padEnd(40)} ${p.cls.padEnd(12)} exit ${String(p.code).padStart(3)} ${p.seconds.toFixed(1).padStart(6)} s  ${p.message.slice(0, 100)}`,
      );
  }
  for (const [what, k] of Object.entries(r.known))
    lines.push(
      '',
      `known crash (not failing): ${what}: ${k.count} inputs, first ${k.first} (npm run torture -- --seed ${r.seed} --only ${k.first})`,
    );
  if (r.failures.length) {
    lines.push('', `${r.failures.length} FAILING INPUTS:`);
    for (const f of r.failures.slice(0, 30)) {
      lines.push(`  input ${f.index} (${f.kind}, ${f.via}): ${f.cls}: ${f.why}`);
      if (f.replay) lines.push(`    ${f.replay.binary}`, `    ${f.replay.campaign}`);
    }
    if (r.failures.length > 30) lines.push(`  ... and ${r.failures.length - 30} more (--json for all)`);
  } else {
    lines.push('', 'no host crash, no run past its bounds');
  }
  return lines.join('\n') + '\n';
}
