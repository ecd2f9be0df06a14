/**
 * Byte-for-byte agreement with GNU as, and line-for-line agreement with objdump, on the corpus in
 * test/asm/corpus. Each file is assembled by `riscv64-unknown-elf-as -march=rv32im_zicsr -mabi=ilp32
 * -mno-relax`, linked by `riscv64-unknown-elf-ld -m elf32lriscv -T test/asm/layout.ld` (our fixed link
 * map) and flattened by `objcopy -O binary`; our `--format bin` output must be identical.
 *
 * Xshadow: GNU as does not know addv/io/halt/..., nor the Xshadow CSR names. Before GNU sees a file,
 * each Xshadow instruction is rewritten as `.insn r` / `.insn i` with the opcode, funct3 and funct7
 * taken from its row of isa/instructions.ts, and each Xshadow CSR name becomes its number from
 * isa/csrs.ts. Our assembler reads the original file. objdump prints those words as `.word` and the
 * CSRs as numbers; the listing comparison maps our names back the same way before comparing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TOOL_PREFIX, describeWithToolchain } from '../toolchain.js';
import { INSTRUCTIONS } from '../../isa/instructions.js';
import { CSRS } from '../../isa/csrs.js';
import { assemble, toBinary } from '../../src/asm/assembler.js';
import { toElf } from '../../src/asm/elf-write.js';
import { listElf } from '../../src/asm/disasm-file.js';
import { FORMS } from '../../src/asm/forms.js';
import { DIRECTIVES } from '../../src/asm/directives.js';

const here = new URL('.', import.meta.url).pathname;
const corpusDir = join(here, 'corpus');
const files = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.s'))
  .sort();
const work = mkdtempSync(join(tmpdir(), 'shadowvm-gnu-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const XSHADOW = INSTRUCTIONS.filter((r) => r.group === 'Xshadow');
const XCSRS = CSRS.filter((c) => c.summary.startsWith('Xshadow'));

/** The GNU rendering of a source line: Xshadow rows as `.insn`, Xshadow CSR names as numbers. */
export function gnuLine(line: string): string {
  let out = line;
  for (const c of XCSRS) out = out.replace(new RegExp(`\\b${c.name}\\b`), `0x${c.number.toString(16)}`);
  const m = /^(\s*(?:[\w.$]+:\s*)*)([a-z]+)\b(.*)$/.exec(out);
  const row = m && XSHADOW.find((r) => r.mnemonic === m[2]);
  if (!m || !row) return out;
  const ops = m[3]!
    .split('#')[0]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const opcode = `0x${(row.match & 0x7f).toString(16)}`;
  const f3 = (row.match >>> 12) & 7;
  const f7 = row.match >>> 25;
  switch (row.syntax) {
    case 'rd, rs1, rs2':
      return `${m[1]}.insn r ${opcode}, ${f3}, ${f7}, ${ops.join(', ')}`;
    case '':
      return `${m[1]}.insn r ${opcode}, ${f3}, ${f7}, x0, x0, x0`;
    case 'rd, rs1':
      return `${m[1]}.insn i ${opcode}, ${f3}, ${ops[0]}, ${ops[1]}, 0`;
    case 'rs1':
      return `${m[1]}.insn i ${opcode}, ${f3}, x0, ${ops[0]}, 0`;
    default:
      throw new Error(`no GNU rendering for ${row.mnemonic}`);
  }
}

function gnu(file: string, dir = corpusDir): { bin: Buffer; elf: string } {
  const source = readFileSync(join(dir, file), 'utf8').split('\n').map(gnuLine).join('\n');
  const base = join(work, file.replace(/\.s$/, ''));
  writeFileSync(`${base}.gnu.s`, source);
  execFileSync(TOOL_PREFIX + 'as', ['-march=rv32im_zicsr', '-mabi=ilp32', '-mno-relax', `${base}.gnu.s`, '-o', `${base}.o`]);
  execFileSync(TOOL_PREFIX + 'ld', ['-m', 'elf32lriscv', '-T', join(here, 'layout.ld'), `${base}.o`, '-o', `${base}.elf`], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  execFileSync(TOOL_PREFIX + 'objcopy', ['-O', 'binary', `${base}.elf`, `${base}.bin`]);
  return { bin: readFileSync(`${base}.bin`), elf: `${base}.elf` };
}

const objdump = (elf: string): string => execFileSync(TOOL_PREFIX + 'objdump', ['-d', elf], { encoding: 'utf8' });

/** Our listing with Xshadow names turned into what objdump prints for them. */
function asObjdumpSees(listing: string): string {
  return listing
    .split('\n')
    .map((line) => {
      const m = /^([ 0-9a-f]+:\t)([0-9a-f]{8})( +\t)([a-z]+)\b.*$/.exec(line);
      if (m && XSHADOW.some((r) => r.mnemonic === m[4])) return `${m[1]}${m[2]}${m[3]}.4byte\t0x${parseInt(m[2], 16).toString(16)}`;
      let out = line;
      for (const c of XCSRS) out = out.replace(new RegExp(`\\b${c.name}\\b`), `0x${c.number.toString(16)}`);
      return out;
    })
    .join('\n');
}

const programsDir = join(here, '..', '..', 'programs');
const programSources = existsSync(programsDir)
  ? readdirSync(programsDir)
      .filter((f) => f.endsWith('.s'))
      .sort()
  : [];
const buildDir = join(programsDir, 'build');
const builtPrograms = existsSync(buildDir)
  ? readdirSync(buildDir)
      .filter((f) => f.endsWith('.elf'))
      .sort()
  : [];

describeWithToolchain('agreement with GNU as, ld and objdump (binutils)', () => {
  it('the corpus covers every row, every mnemonic form and every directive', () => {
    const text = files.map((f) => readFileSync(join(corpusDir, f), 'utf8')).join('\n');
    const used = (word: string): boolean => new RegExp(`^\\s*(\\S+:\\s*)?${word.replace(/\./g, '\\.')}(\\s|$)`, 'm').test(text);
    for (const row of INSTRUCTIONS) expect(used(row.mnemonic), row.mnemonic).toBe(true);
    for (const name of FORMS.keys()) expect(used(name), name).toBe(true);
    for (const name of DIRECTIVES.keys()) expect(used(name), name).toBe(true);
  });

  for (const file of files) {
    it(`${file}: --format bin is byte-identical to as + ld + objcopy`, () => {
      const ours = toBinary(assemble(readFileSync(join(corpusDir, file), 'utf8'), { file }));
      const theirs = gnu(file).bin;
      expect(Buffer.from(ours).toString('hex')).toBe(theirs.toString('hex'));
    });

    it(`${file}: our disassembly of GNU's ELF is objdump's`, () => {
      const { elf } = gnu(file);
      const expected = objdump(elf);
      expect(asObjdumpSees(listElf(elf, readFileSync(elf)))).toBe(expected);
    });

    it(`${file}: objdump reads our ELF as it reads GNU's`, () => {
      const { elf } = gnu(file);
      const ours = join(work, file.replace(/\.s$/, '.ours.elf'));
      writeFileSync(ours, toElf(assemble(readFileSync(join(corpusDir, file), 'utf8'), { file })));
      const strip = (s: string): string => s.split('\n').slice(2).join('\n');
      expect(strip(objdump(ours))).toBe(strip(objdump(elf)));
    });
  }

  // The project's own guest programs: hand-written sources in programs/ and GCC-built ELF files.
  for (const file of programSources) {
    it(`programs/${file}: --format bin is byte-identical to as + ld + objcopy`, () => {
      const ours = toBinary(assemble(readFileSync(join(programsDir, file), 'utf8'), { file }));
      expect(Buffer.from(ours).toString('hex')).toBe(gnu(file, programsDir).bin.toString('hex'));
    });
  }
  for (const file of builtPrograms) {
    it(`programs/build/${file}: our disassembly is objdump's`, () => {
      const elf = join(buildDir, file);
      expect(asObjdumpSees(listElf(elf, readFileSync(elf)))).toBe(objdump(elf));
    });
  }
});
