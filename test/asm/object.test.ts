/**
 * Relocatable objects (`shadowvm asm -c`): the relocations and symbols of an object, read back by the
 * linker's reader, and, with the toolchain, GNU ld's link of our object equal to our own executable
 * for the corpus files with cross-section references (all ten agree; three are kept for time).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble, toBinary } from '../../src/asm/assembler.js';
import { assembleObject } from '../../src/asm/object.js';
import { relocName } from '../../src/asm/relocs.js';
import { readObject } from '../../src/link/objects.js';
import { ShadowError } from '../../src/base/errors.js';
import { TOOL_PREFIX, describeWithToolchain } from '../toolchain.js';

const SOURCE = `
    .globl f
    .text
f:  call g
    la a0, msg
    sw a1, msg, t0
    beq a0, a1, ext
    beq a0, a1, f
    beq a0, a1, near
    jal f
near:
    lui a0, %hi(msg)
    addi a0, a0, %lo(msg)
    sw a0, %lo(msg)(a0)
1:  auipc a0, %pcrel_hi(.Lt)
    addi a0, a0, %pcrel_lo(1b)
    .data
msg: .word 1, ext, f, near+4
.Lt: .word 0
`;

describe('relocatable objects', () => {
  it('hold the standard relocations, against named labels, .L0 labels at each auipc, and the section for .L labels', () => {
    const obj = readObject(assembleObject(SOURCE, { file: 'r.s' }).bytes, 'r.o');
    const name = (i: number): string => {
      const s = obj.symbols[i]!;
      return s.name === '' ? `[${[...obj.sections.values()].find((x) => x.index === s.shndx)?.name}]` : s.name;
    };
    const list = (sec: string): string[] =>
      [...obj.sections.values()]
        .find((s) => s.name === sec)!
        .relocs.map((r) => `${r.off.toString(16)} ${relocName(r.type)} ${name(r.sym)}${r.addend ? `+${r.addend}` : ''}`);
    expect(list('.text')).toEqual([
      '0 R_RISCV_CALL_PLT g',
      '8 R_RISCV_PCREL_HI20 msg',
      'c R_RISCV_PCREL_LO12_I .L0 ',
      '10 R_RISCV_PCREL_HI20 msg',
      '14 R_RISCV_PCREL_LO12_S .L0 ',
      '1c R_RISCV_JAL ext',
      '20 R_RISCV_BRANCH f',
      '28 R_RISCV_JAL f',
      '2c R_RISCV_HI20 msg',
      '30 R_RISCV_LO12_I msg',
      '34 R_RISCV_LO12_S msg',
      '38 R_RISCV_PCREL_HI20 [.data]+16',
      '3c R_RISCV_PCREL_LO12_I .L0 ',
    ]);
    expect(list('.data')).toEqual(['4 R_RISCV_32 ext', '8 R_RISCV_32 f', 'c R_RISCV_32 near+4']);
    const globals = obj.symbols.filter((s) => s.bind !== 0).map((s) => `${s.name}:${s.shndx === 0 ? 'UND' : 'def'}`);
    expect(globals).toEqual(['f:def', 'g:UND', 'ext:UND']);
  });

  it('refuse what an object cannot hold, with the reason', () => {
    const error = (src: string): unknown => {
      try {
        assembleObject(src, { file: 'e.s' });
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const half = error('    .half ext\n');
    expect(half).toBeInstanceOf(ShadowError);
    expect(half).toMatchObject({
      code: 'ASM',
      message:
        'e.s:1:5: error: this value is an address only the linker knows; an object file holds addresses only in .word, %hi/%lo, %pcrel_hi/%pcrel_lo, branches, jumps, call/tail and la/lla\n    .half ext\n    ^',
    });
    // Found by the torture campaign (seed 20261204, input 84183): it asked for a 4 GiB buffer and crashed.
    expect(error('    .data\n    .space 0xffffffff\n    .space 32\n')).toMatchObject({
      code: 'ASM',
      message: 'e.s: error: section .data holds 4294967327 bytes, more than the 268435456 an object may have',
    });
    expect(error('    .bss\n    .space 0xffffffff\n    .space 0xffffffff\n')).toMatchObject({
      code: 'ASM',
      message: 'e.s: error: section .bss holds 8589934590 bytes, more than the 4294967295 an object may have',
    });
    expect(error('    j 0x100\n')).toMatchObject({
      code: 'ASM',
      message: 'e.s:1:7: error: a jump to a constant address is not supported in an object file\n    j 0x100\n      ^',
    });
  });
});

describeWithToolchain('GNU ld links our objects', () => {
  const work = mkdtempSync(join(tmpdir(), 'shadowvm-obj-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const corpus = join(new URL('.', import.meta.url).pathname, 'corpus');
  const layout = join(new URL('.', import.meta.url).pathname, 'layout.ld');
  // The files with relocations to resolve across sections (each link costs ~0.3 s).
  for (const f of ['pseudo.s', 'relax.s', 'sections.s']) {
    it(`into the same bytes as our executable: ${f}`, () => {
      const source = readFileSync(join(corpus, f), 'utf8');
      const o = join(work, f + '.o');
      writeFileSync(o, assembleObject(source, { file: f }).bytes);
      execFileSync(TOOL_PREFIX + 'ld', ['-m', 'elf32lriscv', '-T', layout, o, '-o', o + '.elf'], { stdio: ['ignore', 'ignore', 'pipe'] });
      execFileSync(TOOL_PREFIX + 'objcopy', ['-O', 'binary', o + '.elf', o + '.bin']);
      expect(Buffer.from(toBinary(assemble(source, { file: f }))).equals(readFileSync(o + '.bin'))).toBe(true);
    });
  }
});
