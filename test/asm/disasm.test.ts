/**
 * The disassembler: objdump's aliases and formatting, objdump's address comments, and the round trip
 * assemble(disassemble(w)) == w for every row over random words (test/asm/gnu.test.ts compares whole
 * listings with objdump itself).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INSTRUCTIONS } from '../../isa/instructions.js';
import { Disassembler, disassemble, formatAddress } from '../../src/asm/disasm.js';
import { assemble } from '../../src/asm/assembler.js';
import { wordsOf } from './arbitraries.js';

const PC = 0x80000000;

describe('disassemble', () => {
  it("prints objdump's aliases (binutils 2.40)", () => {
    const cases: [number, string][] = [
      [0x00000013, 'nop'],
      [0x00000513, 'li\ta0,0'],
      [0x80000513, 'li\ta0,-2048'],
      [0x00058593, 'mv\ta1,a1'],
      [0x00558513, 'add\ta0,a1,5'],
      [0x0ff5f513, 'zext.b\ta0,a1'],
      [0x0055f513, 'and\ta0,a1,5'],
      [0xfff5c513, 'not\ta0,a1'],
      [0x0035e513, 'or\ta0,a1,3'],
      [0x00359513, 'sll\ta0,a1,0x3'],
      [0x41f5d513, 'sra\ta0,a1,0x1f'],
      [0x0015b513, 'seqz\ta0,a1'],
      [0x0025a513, 'slti\ta0,a1,2'],
      [0x40b00533, 'neg\ta0,a1'],
      [0x00b03533, 'snez\ta0,a1'],
      [0x0005a533, 'sltz\ta0,a1'],
      [0x00b02533, 'sgtz\ta0,a1'],
      [0x00008067, 'ret'],
      [0x00050067, 'jr\ta0'],
      [0x00458067, 'jr\t4(a1)'],
      [0x000580e7, 'jalr\ta1'],
      [0x004580e7, 'jalr\t4(a1)'],
      [0x00058567, 'jalr\ta0,a1'],
      [0x00458567, 'jalr\ta0,4(a1)'],
      [0x0000006f, 'j\t0x80000000'],
      [0x008000ef, 'jal\t0x80000008'],
      [0x0000056f, 'jal\ta0,0x80000000'],
      [0x00050063, 'beqz\ta0,0x80000000'],
      [0x00a05063, 'blez\ta0,0x80000000'],
      [0x00a04063, 'bgtz\ta0,0x80000000'],
      [0xfeb54ee3, 'blt\ta0,a1,0x7ffffffc'],
      [0x12345537, 'lui\ta0,0x12345'],
      [0x0085a503, 'lw\ta0,8(a1)'],
      [0x00802503, 'lw\ta0,8(zero) # 0x8'],
      [0xfea12e23, 'sw\ta0,-4(sp)'],
      [0x0ff0000f, 'fence'],
      [0x0310000f, 'fence\trw,w'],
      [0x0010000f, 'fence\tunknown,w'],
      [0xc0001073, 'unimp'],
      [0x30551073, 'csrw\tmtvec,a0'],
      [0x305515f3, 'csrrw\ta1,mtvec,a0'],
      [0x3052d073, 'csrw\tmtvec,5'],
      [0x3052e573, 'csrrs\ta0,mtvec,5'],
      [0x30002573, 'csrr\ta0,mstatus'],
      [0xc0102573, 'rdtime\ta0'],
      [0xc8202573, 'rdinstreth\ta0'],
      [0x7c002573, 'csrr\ta0,xtv1'],
      [0x12302573, 'csrr\ta0,0x123'],
      [0x00c5850b, 'addv\ta0,a1,a2'],
      [0x0000400b, 'drain'],
      [0x0005852b, 'io\ta0,a1'],
      [0x0005102b, 'halt\ta0'],
      [0x30200073, 'mret'],
      [0, '.4byte\t0x0'],
      [0xffffffff, '.4byte\t0xffffffff'],
    ];
    for (const [w, text] of cases) expect(disassemble(w, PC), w.toString(16)).toBe(text);
  });

  it('names targets by symbol, as objdump does', () => {
    const at = (addr: number) => (addr >= 0x80000010 ? { name: 'loop', addr: 0x80000010 } : { name: '_start', addr: 0x80000004 });
    expect(disassemble(0x0100006f, PC, at)).toBe('j\t80000010 <loop>');
    expect(disassemble(0x0140006f, PC, at)).toBe('j\t80000014 <loop+0x4>');
    expect(disassemble(0x0000006f, PC, at)).toBe('j\t80000000 <_start-0x4>');
    expect(formatAddress(0x80000000, () => undefined)).toBe('80000000');
    expect(formatAddress(0x80000000)).toBe('0x80000000');
  });

  it('prints the address of lui/auipc + addi/load/jalr pairs, once', () => {
    const d = new Disassembler();
    expect(d.text(0x12345537, PC)).toBe('lui\ta0,0x12345');
    expect(d.text(0x67850513, PC + 4)).toBe('add\ta0,a0,1656 # 0x12345678');
    expect(d.text(0x67850513, PC + 8)).toBe('add\ta0,a0,1656');
    expect(d.text(0x00000597, PC + 12)).toBe('auipc\ta1,0x0');
    expect(d.text(0x0105a583, PC + 16)).toBe('lw\ta1,16(a1) # 0x8000001c');
    const withGp = new Disassembler(undefined, 0x80000800);
    expect(withGp.text(0x8001a503, PC)).toBe('lw\ta0,-2048(gp) # 0x80000000');
  });
});

/**
 * Assembles the disassembly of `words` (at PC, PC+4...) and returns the words it gives. A branch's
 * absolute target becomes `.+offset`: like GNU as, the assembler relaxes a branch to an absolute
 * address (an inverted branch over a jal), and keeps one to a place in its own section short.
 */
function reassemble(words: readonly number[]): number[] {
  const relative = (text: string, pc: number): string =>
    text.replace(/^(b[a-z]+\t.*,)0x([0-9a-f]+)$/, (_m, head: string, hex: string) => {
      const off = parseInt(hex, 16) - pc;
      return `${head}.${off < 0 ? '-' : '+'}${Math.abs(off)}`;
    });
  const source = words.map((w, i) => relative(disassemble(w, PC + 4 * i).replace(/\bunknown\b/g, '0'), PC + 4 * i)).join('\n');
  const text = assemble(source).image.segments[0]!.bytes;
  const v = new DataView(text.buffer, text.byteOffset, text.byteLength);
  return Array.from({ length: text.length / 4 }, (_, i) => v.getUint32(4 * i, true));
}

describe('assemble(disassemble(w)) == w', () => {
  for (const row of INSTRUCTIONS) {
    it(`for random ${row.mnemonic} words`, () => {
      fc.assert(
        fc.property(fc.array(wordsOf(row), { minLength: 1, maxLength: 64 }), (words) => {
          expect(reassemble(words).map((w) => w.toString(16))).toEqual(words.map((w) => w.toString(16)));
        }),
        { seed: 0xa55e + row.id, numRuns: 20 },
      );
    });
  }

  it('for random words, legal or not', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 64 }), (words) => {
        expect(reassemble(words)).toEqual(words);
      }),
      { seed: 7, numRuns: 50 },
    );
  });
});
