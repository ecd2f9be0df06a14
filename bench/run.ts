/**
 * `npm run bench [-- --json] [-- --quick] [-- --suite NAME] [-- --repeat N]`: runs every suite in bench/suites and prints
 * a table (or, with --json, one JSON object per suite on stdout: `{"suite", "results": [{name, figure,
 * unit, baseline, ratio, samples, rme}]}`). Every figure is a ratio against a baseline measured in the
 * same run, since absolute times on shared machines are not stable.
 *
 * Each suite runs in a fresh Node process: measured in one process after another suite, the pair ran up
 * to 40% slower (the JIT's feedback from the fuzzer's runs), which is a property of the order of the
 * suites, not of the code measured.
 */
import { spawnSync } from 'node:child_process';
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

interface SuiteOutput {
  readonly suite: string;
  readonly results: BenchResult[];
}

async function loadSuites(): Promise<BenchSuite[]> {
  const dir = join(here, 'suites');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort();
  const suites: BenchSuite[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { suite?: BenchSuite };
    if (mod.suite) suites.push(mod.suite);
  }
  return suites;
}

/** Runs one suite in a child process (this script with --child) and reads its JSON line. */
function runInChild(name: string, quick: boolean): SuiteOutput {
  const args = [fileURLToPath(import.meta.url), '--child', '--suite', name, ...(quick ? ['--quick'] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench: suite ${name} failed (exit ${r.status})`);
  return JSON.parse(r.stdout) as SuiteOutput;
}

/**
 * `--repeat N`: the suite ran in N fresh processes; each result is the run whose ratio is the median of the N. One
 * process's JIT compiles the shared code its own way, and a ratio can move by a few percent from process to process.
 */
function medianOfRuns(runs: readonly SuiteOutput[]): SuiteOutput {
  const results = runs[0]!.results.map((_, i) => {
    const sorted = runs.map((r) => r.results[i]!).sort((a, b) => a.ratio - b.ratio);
    const mid = sorted[sorted.length >> 1]!;
    return { ...mid, samples: sorted.reduce((n, r) => n + r.samples, 0) };
  });
  return { suite: runs[0]!.suite, results };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      quick: { type: 'boolean' },
      suite: { type: 'string', multiple: true },
      child: { type: 'boolean' },
      repeat: { type: 'string' },
    },
  });
  const repeat = Number(values.repeat ?? 1);
  if (!Number.isSafeInteger(repeat) || repeat < 1 || repeat > 99) {
    process.stderr.write(`bench: --repeat must be a whole number from 1 to 99, got ${values.repeat}\n`);
    process.exitCode = 64;
    return;
  }
  const quick = values.quick ?? false;
  const suites = (await loadSuites()).filter((s) => !values.suite || values.suite.includes(s.name));
  if (values.child) {
    const suite = suites[0]!;
    process.stdout.write(JSON.stringify({ suite: suite.name, results: await suite.run({ quick }) } satisfies SuiteOutput) + '\n');
    return;
  }
  const all: BenchResult[] = [];
  for (const suite of suites) {
    if (!values.json) process.stderr.write(`running ${suite.name}...\n`);
    const runs = Array.from({ length: repeat }, () => runInChild(suite.name, quick));
    const out = repeat === 1 ? runs[0]! : medianOfRuns(runs);
    all.push(...out.results);
    if (values.json) process.stdout.write(JSON.stringify(out) + '\n');
  }
  if (!values.json) process.stdout.write(table(all));
}

await main();
