/**
 * Raw gcc output, unchanged, assembles to GNU's bytes. Every C file of programs/c and programs/runtime
 * is compiled with `gcc -S` at -O0, -O2, -O3 and -Os, twice: with the guest flags of
 * scripts/build-programs.ts (-ffunction-sections -fdata-sections: one section per function and
 * variable) and without those two (everything in .text/.data/.bss/.rodata, `.local` + `.comm`).
 *
 * The files call runtime functions defined elsewhere, so neither side can make an executable of one
 * alone. The method: GNU as (-mno-relax) makes an object; `nm -u` lists its undefined symbols; each is
 * given a fixed address (0x80400000 + 0x100 * i, in name order), on GNU's side with `ld --defsym` and
 * on ours with the `externs` option. GNU ld links the object with test/asm/layout.ld (our link map)
 * and objcopy flattens it; our `toBinary` must be byte-identical.
 *
 * One linker optimisation is switched off, because it is not the assembler's: ld merges identical
 * strings of SHF_MERGE sections (gcc's `.rodata.*.str1.4`, "aMS"), which changes the layout. Before
 * linking, `objcopy --set-section-flags` rewrites those sections' flags to plain read-only data (the
 * bytes the assembler wrote are untouched), so ld only places and relocates.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TOOL_PREFIX, describeWithToolchain } from '../toolchain.js';
import { GUEST_CFLAGS, ROOT } from '../../scripts/build-programs.js';
import { assemble, toBinary } from '../../src/asm/assembler.js';

const here = new URL('.', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'shadowvm-gcc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SOURCES = ['programs/c', 'programs/runtime'].flatMap((d) =>
  readdirSync(join(ROOT, d))
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => `${d}/${f}`),
);
const LEVELS = ['-O0', '-O2', '-O3', '-Os'];
const SPLIT = ['-ffunction-sections', '-fdata-sections'];
const VARIANTS = [
  { name: 'sections', flags: GUEST_CFLAGS.filter((f) => f !== '-O2') },
  { name: 'plain', flags: GUEST_CFLAGS.filter((f) => f !== '-O2' && !SPLIT.includes(f)) },
];

// Asynchronous on purpose: 104 tests of synchronous child processes would hold this worker's event loop
// for a minute or more on a loaded machine, and vitest's own messages to the worker time out after 60 s
// ('Timeout calling "onTaskUpdate"', which fails the run although every test passed).
const run = promisify(execFile);
const tool = async (name: string, args: readonly string[]): Promise<string> =>
  (await run(TOOL_PREFIX + name, args, { cwd: ROOT, encoding: 'utf8' })).stdout;

/** GNU's flat binary of a gcc -S file, with the undefined symbols it had and where they were put. */
async function gnu(asmFile: string): Promise<{ bin: Buffer; externs: Map<string, number> }> {
  const obj = asmFile.replace(/\.s$/, '.o');
  await tool('as', ['-march=rv32im_zicsr', '-mabi=ilp32', '-mno-relax', asmFile, '-o', obj]);
  const undefinedNames = (await tool('nm', ['-u', obj]))
    .split('\n')
    .map((l) => l.trim().split(/\s+/).pop()!)
    .filter((n) => n !== undefined && n !== '')
    .sort();
  const externs = new Map(undefinedNames.map((n, i) => [n, 0x80400000 + 0x100 * i] as [string, number]));
  const merged = (await tool('readelf', ['-SW', obj]))
    .split('\n')
    .filter((l) => / AW?MS /.test(l))
    .map((l) => /\] (\S+)/.exec(l)![1]!);
  const plain = obj.replace(/\.o$/, '.plain.o');
  await tool('objcopy', [...merged.flatMap((s) => ['--set-section-flags', `${s}=alloc,load,readonly,data,contents`]), obj, plain]);
  const elf = obj.replace(/\.o$/, '.elf');
  const defsyms = [...externs].map(([n, v]) => `--defsym=${n}=0x${v.toString(16)}`);
  await tool('ld', ['-m', 'elf32lriscv', '--no-warn-rwx-segments', '-e', '0', '-T', join(here, 'layout.ld'), ...defsyms, plain, '-o', elf]);
  const bin = obj.replace(/\.o$/, '.bin');
  await tool('objcopy', ['-O', 'binary', elf, bin]);
  return { bin: readFileSync(bin), externs };
}

const table = { files: 0, identical: 0, rejected: 0 };

describeWithToolchain(
  'raw gcc -S output of every C file, at four optimisation levels, against GNU as',
  () => {
    afterAll(() => {
      process.stderr.write(`gcc -S corpus: ${table.files} files, ${table.identical} byte-identical, ${table.rejected} rejected\n`);
    });
    for (const variant of VARIANTS) {
      for (const src of SOURCES) {
        for (const level of LEVELS) {
          const name = `${basename(src, '.c')}${level}-${variant.name}.s`;
          it(`${src} ${level} (${variant.name}): byte-identical`, async () => {
            table.files++;
            const file = join(work, name);
            await tool('gcc', [...variant.flags, level, '-S', src, '-o', file]);
            const theirs = await gnu(file);
            let ours: Uint8Array;
            try {
              ours = toBinary(assemble(readFileSync(file, 'utf8'), { file: name, externs: theirs.externs }));
            } catch (err) {
              table.rejected++;
              throw err;
            }
            expect(Buffer.from(ours).toString('hex')).toBe(theirs.bin.toString('hex'));
            table.identical++;
          }, 60_000);
        }
      }
    }
  },
  true,
);
