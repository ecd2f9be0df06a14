/**
 * `npm run fuzz:tables -- --catch | --coverage`: the two tables of issue 10, measured by running the default
 * command (`shadowvm fuzz PROGRAM`, no options but the guest's input and a monitor flaw) one guest at a time.
 *  - `--catch`: every planted guest in programs/ (scripts/build-programs.ts, `planted`), disk.s under
 *    `--flaw no-fencing`, and the three other monitor flaws: bug, result, earliest case, replay line, wall seconds;
 *  - `--coverage`: the window coverage of every correct guest in programs/build.
 * Each table is printed as markdown, with the date, the command and the load average, for docs/fuzzing.md.
 *
 *   npm run fuzz:tables -- --catch [--only NAME]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/base/paths.js';
import type { FuzzReport } from '../src/fuzz/fuzz.js';
import { PROGRAMS } from './build-programs.js';

const ROOT = packageRoot();
const BIN = join(ROOT, 'bin', 'shadowvm.js');
const INPUT = 'programs/echo-input.txt';

interface Row {
  readonly bug: string;
  readonly args: readonly string[];
}

/** The echo guests read the console input the tests give them. */
const inputFor = (program: string): string[] => (program.includes('/echo') ? ['--input', INPUT] : []);

function catchRows(): Row[] {
  const rows: Row[] = PROGRAMS.filter((p) => p.planted).map((p) => {
    const program = `programs/build/${p.name}.elf`;
    return { bug: `${p.name}: ${p.planted}`, args: [program, ...inputFor(program)] };
  });
  // The monitor flaws, each on the guest where it shows (test/fuzz/planted.test.ts).
  const flaws: [string, string][] = [
    ['keep-completions', 'programs/build/counter-eager.elf'],
    ['no-disconnect', 'programs/build/counter.elf'],
    ['mid-epoch-delivery', 'programs/build/counter.elf'],
    ['no-fencing', 'programs/disk.s'],
  ];
  for (const [flaw, program] of flaws)
    rows.push({ bug: `monitor --flaw ${flaw} (${program.split('/').pop()})`, args: [program, '--flaw', flaw] });
  return rows;
}

function coverageRows(): Row[] {
  // journal-noreissue is flawed on purpose too (test/programs/failover.test.ts), though not in the planted suite.
  const planted = new Set([...PROGRAMS.filter((p) => p.planted).map((p) => `${p.name}.elf`), 'journal-noreissue.elf']);
  return readdirSync(join(ROOT, 'programs', 'build'))
    .filter((f) => f.endsWith('.elf') && !planted.has(f))
    .sort()
    .map((f) => ({ bug: f, args: [`programs/build/${f}`, ...inputFor(`programs/build/${f}`)] }));
}

/** Runs the default command with `--json`; its report and the wall seconds it took. */
function run(args: readonly string[]): { report: FuzzReport | undefined; seconds: number; status: number | null; stderr: string } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'fuzz', ...args, '--json', '-q'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  let report: FuzzReport | undefined;
  try {
    report = JSON.parse(r.stdout) as FuzzReport;
  } catch {
    report = undefined;
  }
  return { report, seconds, status: r.status, stderr: r.stderr };
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function header(what: string, command: string): string[] {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  return [
    `${what}, measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load} at the start`,
    '',
    `command: \`${command}\``,
    '',
  ];
}

/** Lines printed as they come (a table of slow sweeps is readable while it grows). */
const out = { push: (...lines: string[]): void => void process.stdout.write(lines.map((l) => l + '\n').join('')) };

function catchTable(rows: readonly Row[]): void {
  out.push(...header('Catch table', 'node bin/shadowvm.js fuzz PROGRAM [--input F] [--flaw F] --json'));
  out.push('| bug | result | earliest case | replay line | wall s |', '| --- | --- | --- | --- | ---: |');
  for (const row of rows) {
    const { report, seconds, status, stderr } = run(row.args);
    const e = report?.earliest;
    const result = !report
      ? `error (exit ${status}): ${stderr.trim().split('\n')[0] ?? ''}`
      : e
        ? `caught (${e.oracle}), exit ${status}`
        : `NOT caught, exit ${status}`;
    const where = e
      ? `${e.side} at ${e.point}${e.cuts ? `, epoch cut at ${e.cuts.join(',')}` : ''}${e.standsFor ? ` (class ${e.standsFor})` : ''}`
      : '';
    out.push(`| ${cell(row.bug)} | ${cell(result)} | ${cell(where)} | ${e ? `\`${cell(e.replay)}\`` : ''} | ${seconds.toFixed(1)} |`);
    process.stderr.write(`${row.bug}: ${result}, ${seconds.toFixed(1)} s\n`);
  }
}

function coverageTableOf(rows: readonly Row[]): void {
  out.push(...header('Window coverage', 'node bin/shadowvm.js fuzz PROGRAM [--input F] --json'));
  out.push(
    '| program | ops | windows opened | impossible | not opened | failures | wall s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const row of rows) {
    const { report, seconds, status } = run(row.args);
    const c = report?.coverage;
    if (!report || !c) {
      out.push(`| ${row.bug} | | error (exit ${status}) | | | | ${seconds.toFixed(1)} |`);
      continue;
    }
    const impossible = c.untested.filter((u) => u.impossible).length;
    const notOpened = c.untested.length - impossible;
    const pct = c.total.possible ? ((100 * c.total.opened) / c.total.possible).toFixed(1) : '100.0';
    out.push(
      `| ${row.bug} | ${c.total.ops} | ${c.total.opened}/${c.total.possible} (${pct}%) | ${impossible} | ${notOpened} | ${report.failures.length} | ${seconds.toFixed(1)} |`,
    );
    process.stderr.write(`${row.bug}: ${c.total.opened}/${c.total.possible}, ${seconds.toFixed(1)} s\n`);
  }
}

const { values } = parseArgs({ options: { catch: { type: 'boolean' }, coverage: { type: 'boolean' }, only: { type: 'string' } } });
if (!values.catch && !values.coverage) {
  process.stderr.write('fuzz:tables: give --catch, --coverage or both\n');
  process.exit(2);
}
if (!existsSync(BIN)) throw new Error(`fuzz:tables: ${BIN} is missing`);
const only = (rows: Row[]): Row[] => (values.only ? rows.filter((r) => r.bug.includes(values.only!)) : rows);
if (values.catch) {
  catchTable(only(catchRows()));
  out.push('');
}
if (values.coverage) coverageTableOf(only(coverageRows()));
