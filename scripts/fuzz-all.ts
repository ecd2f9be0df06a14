/**
 * `npm run fuzz:all`: the long campaign behind its own command. Sweeps every distinct failure point of
 * every I/O guest at the default configuration (4096-instruction epochs; the test suite sweeps 16K), then
 * a seeded random campaign over configurations and failing sides on each. Prints one line per sweep and
 * the replay lines of anything that failed; exits 1 if anything did.
 *
 *   npm run fuzz:all [-- --runs N] [-- --seed S] [-- --workers N]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { loadProgram } from '../src/asm/load.js';
import { bundledProgram } from '../src/base/paths.js';
import { fuzzFailover, type FuzzReport } from '../src/fuzz/fuzz.js';

const PROGRAMS = [
  'programs/hello.s',
  'programs/traps.s',
  'programs/disk.s',
  'programs/build/journal.elf',
  'programs/build/journal-eager.elf',
  'programs/build/echo.elf',
  'programs/build/mix.elf',
  'programs/build/ledger.elf',
  'programs/build/ledger-cond.elf',
];

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' } } });
const runs = Number(values.runs ?? 300);
const seed = Number(values.seed ?? 1);
const workers = Number(values.workers ?? availableParallelism());
if (![runs, seed, workers].every((n) => Number.isSafeInteger(n) && n >= 0) || workers < 1) {
  process.stderr.write('fuzz:all: --runs, --seed and --workers take non-negative integers (workers >= 1)\n');
  process.exit(2);
}

const failed: FuzzReport[] = [];
const line = (r: FuzzReport, what: string): string =>
  `${r.program.padEnd(34)} ${what.padEnd(22)} ${String(r.checked).padStart(6)} cases ${r.seconds.toFixed(1).padStart(7)} s  ` +
  (r.failures.length ? `${r.failures.length} FAILED (earliest ${r.earliest!.point}: ${r.earliest!.oracle})` : 'ok');

const started = performance.now();
for (const path of PROGRAMS) {
  const image = loadProgram(bundledProgram(path));
  const sweep = await fuzzFailover(image, { workers, programName: path });
  process.stdout.write(line(sweep, `exhaustive (${sweep.distinctPoints} pts)`) + '\n');
  const campaign = await fuzzFailover(image, { workers, programName: path, runs, seed });
  process.stdout.write(line(campaign, `campaign seed ${seed}`) + '\n');
  for (const r of [sweep, campaign]) if (r.failures.length) failed.push(r);
}
process.stdout.write(`\n${((performance.now() - started) / 1000).toFixed(1)} s in all\n`);
for (const r of failed) for (const f of r.failures.slice(0, 20)) process.stdout.write(`${f.replay}\n`);
process.exit(failed.length ? 1 : 0);
