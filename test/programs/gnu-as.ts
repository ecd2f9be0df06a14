/**
 * Assembles a hand-written guest program (programs/*.s) with GNU as instead of the project's assembler,
 * as an independent check of the sources. GNU as does not know the Xshadow mnemonics, so they are first
 * rewritten to `.insn` with the encodings of XSHADOW.md 4 (custom-0 R format, custom-1 I format). The
 * object is linked at 0x80000000 with --no-relax (the project's assembler does not relax either, and
 * these programs never set gp), .data right after .text on a 4-byte boundary, .bss after it: the layout
 * of the project's assembler, so the two images can be compared byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_PREFIX } from '../toolchain.js';

const F3: Readonly<Record<string, number>> = { addv: 0, subv: 1, mulv: 2, divv: 3 };
const LEAD = String.raw`^(\s*(?:[\w.$]+:\s*)?)`;
const R3 = new RegExp(`${LEAD}(addv|subv|mulv|divv)\\s+(\\w+)\\s*,\\s*(\\w+)\\s*,\\s*(\\w+)(.*)$`);
const DRAIN = new RegExp(`${LEAD}drain\\b(.*)$`);
const IO = new RegExp(`${LEAD}io\\s+(\\w+)\\s*,\\s*(\\w+)(.*)$`);
const HALT = new RegExp(`${LEAD}halt\\s+(\\w+)(.*)$`);

/** The source with every Xshadow instruction written as `.insn`. */
export function xshadowToInsn(source: string): string {
  return source
    .split('\n')
    .map((line) => {
      let m = R3.exec(line);
      if (m) return `${m[1]}.insn r 0x0b, ${F3[m[2]!]}, 0, ${m[3]}, ${m[4]}, ${m[5]}${m[6]}`;
      m = DRAIN.exec(line);
      if (m) return `${m[1]}.insn r 0x0b, 4, 0, x0, x0, x0${m[2]}`;
      m = IO.exec(line);
      if (m) return `${m[1]}.insn i 0x2b, 0, ${m[2]}, ${m[3]}, 0${m[4]}`;
      m = HALT.exec(line);
      if (m) return `${m[1]}.insn i 0x2b, 1, x0, ${m[2]}, 0${m[3]}`;
      return line;
    })
    .join('\n');
}

function tool(name: string, args: string[]): void {
  const r = spawnSync(TOOL_PREFIX + name, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')}:\n${r.stderr}`);
}

const LAYOUT = `SECTIONS {
  . = 0x80000000;
  .text : { *(.text) }
  .data : ALIGN(4) { *(.data) }
  .bss : ALIGN(4) { *(.bss) }
  /DISCARD/ : { *(.riscv.attributes) }
}
`;

/** Assembles and links `sourcePath` into `dir`; returns the ELF's path. */
export function gnuAssemble(sourcePath: string, dir: string, name: string): string {
  const src = join(dir, `${name}.S`);
  const obj = join(dir, `${name}.o`);
  const elf = join(dir, `${name}.elf`);
  const script = join(dir, 'layout.ld');
  writeFileSync(src, xshadowToInsn(readFileSync(sourcePath, 'utf8')));
  writeFileSync(script, LAYOUT);
  tool('as', ['-march=rv32im_zicsr', '-mabi=ilp32', '-o', obj, src]);
  tool('ld', ['-m', 'elf32lriscv', '--no-relax', '-n', '--no-warn-rwx-segments', '-T', script, '-e', '0x80000000', '-o', elf, obj]);
  return elf;
}
