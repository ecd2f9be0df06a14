/**
 * `npm run fuzz:all`: the long campaign behind its own command. Sweeps every distinct failure point of
 * every guest in programs/ at the default configuration (4096-instruction epochs; the test suite sweeps 16K),
 * then a seeded random campaign over configurations and failing sides on each. The compute guests (sort,
 * hash, interp) run about 3 million instructions, 30 times the I/O guests, and each campaign case first runs
 * its own configuration's failure-free run, so their campaigns have a tenth of the runs. Prints one line per
 * sweep (cases, seconds, window coverage) and the replay lines of anything that failed, with the shrunk
 * replay line of each campaign's earliest failure; exits 1 if anything failed. The planted-bug guests are
 * not swept here (test/fuzz/planted.test.ts checks that the sweep catches them).
 *
 *   npm run fuzz:all [-- --runs N] [-- --seed S] [-- --workers N]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { loadProgram } from '../src/asm/load.js';
import { bundledProgram } from '../src/base/paths.js';
import { fuzzFailover, type FuzzReport } from '../src/fuzz/fuzz.js';

/** Each guest, and the share of `--runs` its campaign gets. */
const PROGRAMS: readonly (readonly [string, number])[] = [
  ['programs/hello.s', 1],
  ['programs/traps.s', 1],
  ['programs/disk.s', 1],
  ['programs/build/journal.elf', 1],
  ['programs/build/journal-eager.elf', 1],
  ['programs/build/echo.elf', 1],
  ['programs/build/mix.elf', 1],
  ['programs/build/sort.elf', 0.1],
  ['programs/build/hash.elf', 0.1],
  ['programs/build/interp.elf', 0.1],
  ['programs/build/ledger.elf', 1],
  ['programs/build/ledger-cond.elf', 1],
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
const coverage = (r: FuzzReport): string => {
  const c = r.coverage?.total;
  return c ? `windows ${c.opened}/${c.possible}`.padEnd(16) : ''.padEnd(16);
};
const line = (r: FuzzReport, what: string): string =>
  `${r.program.padEnd(34)} ${what.padEnd(26)} ${String(r.checked).padStart(6)} cases ${r.seconds.toFixed(1).padStart(7)} s  ${coverage(r)} ` +
  (r.failures.length ? `${r.failures.length} FAILED (earliest ${r.earliest!.point}: ${r.earliest!.oracle})` : 'ok');

const started = performance.now();
for (const [path, share] of PROGRAMS) {
  const image = loadProgram(bundledProgram(path));
  const sweep = await fuzzFailover(image, { workers, programName: path });
  process.stdout.write(line(sweep, `exhaustive (${sweep.distinctPoints} pts)`) + '\n');
  const n = Math.max(1, Math.ceil(runs * share));
  const campaign = await fuzzFailover(image, { workers, programName: path, runs: n, seed });
  process.stdout.write(line(campaign, `campaign seed ${seed}, ${n} runs`) + '\n');
  for (const r of [sweep, campaign]) if (r.failures.length) failed.push(r);
}
process.stdout.write(`\n${((performance.now() - started) / 1000).toFixed(1)} s in all\n`);
for (const r of failed) {
  for (const f of r.failures.slice(0, 20)) process.stdout.write(`${f.replay}\n`);
  if (r.shrunk) process.stdout.write(`shrunk: ${r.shrunk.replay}\n`);
}
process.exit(failed.length ? 1 : 0);
