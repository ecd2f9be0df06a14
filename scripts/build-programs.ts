/**
 * Builds the C guest programs (programs/c/*.c + the runtime in programs/runtime/) into the committed
 * ELF files in programs/build/, with Debian's RISC-V cross toolchain, deterministically: same sources and
 * toolchain, same bytes (no timestamps, no build ids, fixed source names, .file names in assembly).
 *
 *   npm run build:programs             rebuild every ELF into programs/build/
 *   npm run build:programs -- --check  rebuild into a temporary directory and list the committed ELFs
 *                                      that differ (exit 1) or are missing
 *
 * The hand-written assembly programs (programs/*.s) are not built here: the project's own assembler
 * assembles them at run time. Tests import `buildProgram`/`buildHost` from this module.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file runs from scripts/ under vitest and from dist/scripts/ under node). */
export const ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();
export const BUILD_DIR = join(ROOT, 'programs', 'build');
export const CROSS = 'riscv64-unknown-elf-';

const RUNTIME = ['crt0.s', 'trap.s', 'trap.c', 'console.c', 'fmt.c', 'mem.c', 'kio.c'].map((f) => `programs/runtime/${f}`);

export interface GuestProgram {
  /** Output file is `<name>.elf`. */
  readonly name: string;
  /** The program's own C source, relative to the root. */
  readonly source: string;
  /** Extra -D definitions. */
  readonly defines?: readonly string[];
  /** CPU-bound: also builds for the host with programs/host/shim.c, and both must print the same. */
  readonly host: boolean;
  /** A planted-bug guest: the one deliberate flaw it carries (the fuzzer's default sweep must catch it). */
  readonly planted?: string;
}

export const PROGRAMS: readonly GuestProgram[] = [
  { name: 'sort', source: 'programs/c/sort.c', host: true },
  { name: 'hash', source: 'programs/c/hash.c', host: true },
  { name: 'interp', source: 'programs/c/interp.c', host: true },
  { name: 'journal', source: 'programs/c/journal.c', host: false },
  { name: 'journal-noreissue', source: 'programs/c/journal.c', defines: ['KIO_NO_REISSUE'], host: false },
  { name: 'journal-eager', source: 'programs/c/journal.c', defines: ['KIO_EAGER_REISSUE'], host: false },
  { name: 'echo', source: 'programs/c/echo.c', host: false },
  { name: 'mix', source: 'programs/c/mix.c', host: false },
  { name: 'counter', source: 'programs/c/counter.c', host: false },
  { name: 'counter-eager', source: 'programs/c/counter.c', defines: ['KIO_EAGER_REISSUE'], host: false },
  { name: 'counter-retry', source: 'programs/c/counter.c', defines: ['KIO_REPORT_DISCONNECT'], host: false },
  { name: 'ledger', source: 'programs/c/ledger.c', defines: ['KIO_LEDGER'], host: false },
  { name: 'ledger-cond', source: 'programs/c/ledger.c', defines: ['KIO_LEDGER', 'LEDGER_COND'], host: false },
  // The planted-bug suite (test/fuzz/planted.test.ts): one deliberate flaw each.
  {
    name: 'counter-noreissue-write',
    source: 'programs/c/counter.c',
    defines: ['KIO_NO_REISSUE_WRITE'],
    host: false,
    planted: 'no reissue of a WRITE',
  },
  {
    name: 'echo-noreissue-write',
    source: 'programs/c/echo.c',
    defines: ['KIO_NO_REISSUE_WRITE'],
    host: false,
    planted: 'no reissue of a console WRITE',
  },
  {
    name: 'echo-noreissue-read',
    source: 'programs/c/echo.c',
    defines: ['KIO_NO_REISSUE_READ'],
    host: false,
    planted: 'no reissue of a READ',
  },
  { name: 'counter-noreconnect', source: 'programs/c/counter.c', defines: ['KIO_NO_RECONNECT'], host: false, planted: 'never reconnects' },
  {
    name: 'counter-shifted',
    source: 'programs/c/counter.c',
    defines: ['KIO_REISSUE_SHIFTED'],
    host: false,
    planted: 'reissues at a different offset',
  },
  {
    name: 'counter-disconnected-as-completed',
    source: 'programs/c/counter.c',
    defines: ['KIO_DISCONNECTED_AS_COMPLETED'],
    host: false,
    planted: 'treats DISCONNECTED as COMPLETED',
  },
  {
    name: 'counter-ignore-tags',
    source: 'programs/c/counter.c',
    defines: ['KIO_IGNORE_UNKNOWN_TAGS'],
    host: false,
    planted: 'ignores records of unknown tags',
  },
  {
    name: 'counter-rmw',
    source: 'programs/c/counter.c',
    defines: ['KIO_REPORT_DISCONNECT', 'COUNTER_RMW'],
    host: false,
    planted: 'a non-idempotent read-modify-write redone without a journal',
  },
  {
    name: 'ledger-plain',
    source: 'programs/c/ledger.c',
    defines: ['KIO_LEDGER', 'LEDGER_PLAIN'],
    host: false,
    planted: 'blind reissue of a plain ledger append',
  },
  {
    name: 'ledger-seq-reuse',
    source: 'programs/c/ledger.c',
    defines: ['KIO_LEDGER', 'KIO_LEDGER_SEQ_REUSE'],
    host: false,
    planted: 'a sequence number reused for a different ledger entry',
  },
  {
    name: 'ledger-blind-cond',
    source: 'programs/c/ledger.c',
    defines: ['KIO_LEDGER', 'LEDGER_COND', 'KIO_LEDGER_BLIND_COND'],
    host: false,
    planted: 'a conditional append reissued without checking entry N',
  },
];

export const GUEST_CFLAGS = [
  '-march=rv32im_zicsr',
  '-mabi=ilp32',
  '-O2',
  '-std=gnu11',
  '-ffreestanding',
  '-nostdlib',
  // Keep mem.c's loops from being turned into calls to memset/memcpy (themselves).
  '-fno-tree-loop-distribute-patterns',
  '-ffunction-sections',
  '-fdata-sections',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-Iprograms/runtime',
];
export const GUEST_LDFLAGS = [
  '-Tprograms/runtime/linker.ld',
  '-Wl,--gc-sections',
  '-Wl,--build-id=none',
  // -n: no page alignment of the one LOAD segment, which keeps the files small.
  '-Wl,-n',
  '-Wl,--no-warn-rwx-segments',
];

function run(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
}

function guestArgs(p: GuestProgram, out: string): string[] {
  const defines = (p.defines ?? []).map((d) => `-D${d}`);
  return [...GUEST_CFLAGS, ...defines, ...GUEST_LDFLAGS, '-o', out, ...RUNTIME, p.source];
}

/** Builds one guest program into `outDir`; returns the ELF's path. */
export function buildProgram(p: GuestProgram, outDir: string): string {
  const out = resolve(outDir, `${p.name}.elf`);
  run(`${CROSS}gcc`, guestArgs(p, out));
  return out;
}

function buildProgramAsync(p: GuestProgram, outDir: string): Promise<string> {
  const out = resolve(outDir, `${p.name}.elf`);
  const args = guestArgs(p, out);
  return new Promise((done, fail) =>
    execFile(`${CROSS}gcc`, args, { cwd: ROOT, encoding: 'utf8' }, (err, _stdout, stderr) =>
      err ? fail(new Error(`${CROSS}gcc ${args.join(' ')} failed:\n${stderr || err.message}`)) : done(out),
    ),
  );
}

/** Builds the host (x86) variant of a CPU-bound program with the stdio shim; returns the executable's path. */
export function buildHost(p: GuestProgram, outDir: string): string {
  const out = resolve(outDir, `${p.name}.host`);
  run('gcc', [
    '-O2',
    '-std=gnu11',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-DRT_HOST',
    '-Iprograms/runtime',
    '-o',
    out,
    'programs/host/shim.c',
    'programs/runtime/fmt.c',
    p.source,
  ]);
  return out;
}

/** Builds every program into `outDir`, as many at once as there are cores. */
export async function buildAll(outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const paths: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < PROGRAMS.length) {
      const i = next++;
      paths[i] = await buildProgramAsync(PROGRAMS[i]!, outDir);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  return paths;
}

/** Names of the committed ELFs that differ from a fresh build (or are missing). */
export async function check(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shadowvm-programs-'));
  try {
    await buildAll(dir);
    return PROGRAMS.filter((p) => {
      const committed = join(BUILD_DIR, `${p.name}.elf`);
      if (!existsSync(committed)) return true;
      return !readFileSync(committed).equals(readFileSync(join(dir, `${p.name}.elf`)));
    }).map((p) => p.name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const probe = spawnSync(`${CROSS}gcc`, ['--version'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    process.stderr.write(
      `build-programs: ${CROSS}gcc not found; install Debian's gcc-riscv64-unknown-elf (the committed ELFs in programs/build/ still work)\n`,
    );
    return 2;
  }
  if (argv.includes('--check')) {
    const stale = await check();
    if (stale.length === 0) {
      process.stdout.write(`build-programs: all ${PROGRAMS.length} ELFs in programs/build/ are up to date\n`);
      return 0;
    }
    process.stdout.write(`build-programs: out of date: ${stale.map((n) => `${n}.elf`).join(', ')}\n`);
    return 1;
  }
  for (const path of await buildAll(BUILD_DIR)) process.stdout.write(`built ${path.slice(ROOT.length + 1)}\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`build-programs: ${(err as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
