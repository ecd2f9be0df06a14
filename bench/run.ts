/**
 * `npm run bench [-- --json] [-- --quick] [-- --suite NAME]`: runs every suite in bench/suites and prints
 * a table (or, with --json, one JSON object per result on stdout). Every figure is a ratio against a
 * baseline measured in the same run, since absolute times on shared machines are not stable.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchResult, BenchSuite } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (a >= 1e4) return (n / 1e3).toFixed(1) + 'K';
  if (a >= 100) return n.toFixed(0);
  return n.toFixed(3);
}

export function table(results: readonly BenchResult[]): string {
  const rows = [['suite', 'case', 'figure', 'unit', 'baseline', 'ratio', 'samples', '±%']];
  for (const r of results) {
    rows.push([r.suite, r.name, fmt(r.figure), r.unit, fmt(r.baseline), r.ratio.toFixed(3), String(r.samples), r.rme.toFixed(1)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n') + '\n';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, suite: { type: 'string', multiple: true } },
  });
  const dir = join(here, 'suites');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const all: BenchResult[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { suite?: BenchSuite };
    const suite = mod.suite;
    if (!suite) continue;
    if (values.suite && !values.suite.includes(suite.name)) continue;
    if (!values.json) process.stderr.write(`running ${suite.name}...\n`);
    const results = await suite.run({ quick: values.quick ?? false });
    for (const r of results) {
      all.push(r);
      if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
    }
  }
  if (!values.json) process.stdout.write(table(all));
}

await main();
