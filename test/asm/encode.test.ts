/** The encoder and the field decoder: known words, range checks, and decode(encode(x)) == x for every row. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INSTRUCTIONS } from '../../isa/instructions.js';
import { encode, EncodeError } from '../../src/asm/encode.js';
import { decode } from '../../src/asm/decode.js';
import type { Operands } from '../../src/asm/fields.js';
import { operandsFor, wordsOf } from './arbitraries.js';
import { ShadowError } from '../../src/base/errors.js';

describe('encode', () => {
  it('produces the words GNU as produces', () => {
    // Words from riscv64-unknown-elf-as 2.40 (see test/asm/gnu.test.ts for whole files).
    const cases: [string, Operands, number][] = [
      ['addi', { rd: 10, rs1: 11, imm: 5 }, 0x00558513],
      ['addi', { rd: 10, rs1: 0, imm: -2048 }, 0x80000513],
      ['lui', { rd: 10, imm: 0x12345 }, 0x12345537],
      ['auipc', { rd: 10, imm: 0xfffff }, 0xfffff517],
      ['jal', { rd: 1, imm: -28 }, 0xfe5ff0ef],
      ['jal', { rd: 0, imm: 8 }, 0x0080006f],
      ['beq', { rs1: 10, rs2: 0, imm: 0 }, 0x00050063],
      ['bne', { rs1: 10, rs2: 11, imm: 8 }, 0x00b51463],
      ['lw', { rd: 10, rs1: 11, imm: 8 }, 0x0085a503],
      ['sw', { rs2: 10, rs1: 2, imm: -4 }, 0xfea12e23],
      ['srai', { rd: 10, rs1: 11, imm: 31 }, 0x41f5d513],
      ['sub', { rd: 10, rs1: 0, rs2: 11 }, 0x40b00533],
      ['mul', { rd: 10, rs1: 11, rs2: 12 }, 0x02c58533],
      ['csrrs', { rd: 10, csr: 0x300, rs1: 0 }, 0x30002573],
      ['csrrwi', { rd: 0, csr: 0x305, imm: 5 }, 0x3052d073],
      ['fence', { pred: 3, succ: 1 }, 0x0310000f],
      ['fence', { pred: 15, succ: 15 }, 0x0ff0000f],
      ['ecall', {}, 0x00000073],
      ['mret', {}, 0x30200073],
      ['addv', { rd: 10, rs1: 11, rs2: 12 }, 0x00c5850b],
      ['drain', {}, 0x0000400b],
      ['io', { rd: 10, rs1: 11 }, 0x0005852b],
      ['halt', { rs1: 10 }, 0x0005102b],
    ];
    for (const [m, ops, word] of cases) expect(encode(m, ops).toString(16), m).toBe(word.toString(16));
  });

  it('accepts a row as well as a mnemonic', () => {
    expect(encode(INSTRUCTIONS.find((r) => r.mnemonic === 'ebreak')!)).toBe(0x00100073);
  });

  it('checks every field against its range, naming it', () => {
    const err = (m: string, ops: Operands): string => {
      try {
        encode(m, ops);
      } catch (e) {
        expect(e).toBeInstanceOf(EncodeError);
        expect(e).toBeInstanceOf(ShadowError);
        expect((e as ShadowError).code).toBe('ASM');
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err('addi', { rd: 1, rs1: 1, imm: 5000 })).toBe('immediate 5000 out of range -2048..2047');
    expect(err('addi', { rd: 32, rs1: 1, imm: 0 })).toBe('register number 32 out of range 0..31');
    expect(err('lui', { rd: 1, imm: -1 })).toBe('immediate -1 out of range 0..1048575');
    expect(err('slli', { rd: 1, rs1: 1, imm: 32 })).toBe('immediate 32 out of range 0..31');
    expect(err('beq', { rs1: 1, rs2: 1, imm: 4096 })).toBe('immediate 4096 out of range -4096..4094');
    expect(err('beq', { rs1: 1, rs2: 1, imm: 3 })).toBe('offset 3 is not a multiple of 2');
    expect(err('jal', { rd: 1, imm: 1 << 20 })).toBe('immediate 1048576 out of range -1048576..1048574');
    expect(err('csrrw', { rd: 1, csr: 4096, rs1: 1 })).toBe('CSR number 4096 out of range 0..4095');
    expect(err('csrrwi', { rd: 1, csr: 1, imm: 32 })).toBe('immediate 32 out of range 0..31');
    expect(err('fence', { pred: 16, succ: 0 })).toBe('fence pred 16 out of range 0..15');
    expect(err('addi', { rd: 1, rs1: 1, imm: 1.5 })).toBe('immediate 1.5 out of range -2048..2047');
    expect(err('addi', { rd: 1, rs1: 1 })).toBe('addi: missing operand imm');
    expect(err('halt', { rd: 1, rs1: 1 })).toBe('halt: has no operand rd');
    expect(err('addx', {})).toBe("unknown instruction 'addx'");
  });
});

describe('decode', () => {
  it('gives the row and exactly the fields of its syntax', () => {
    expect(decode(0x00558513)).toEqual({ row: INSTRUCTIONS.find((r) => r.mnemonic === 'addi'), rd: 10, rs1: 11, imm: 5 });
    expect(decode(0x0005102b)).toEqual({ row: INSTRUCTIONS.find((r) => r.mnemonic === 'halt'), rs1: 10 });
    expect(decode(0x12345537)?.imm).toBe(0x12345);
    expect(decode(0xfe5ff0ef)?.imm).toBe(-28);
  });

  it('returns undefined for words of no row', () => {
    expect(decode(0)).toBeUndefined();
    expect(decode(0xffffffff)).toBeUndefined();
  });

  for (const row of INSTRUCTIONS) {
    it(`${row.mnemonic}: decode(encode(ops)) gives back the row and the operands`, () => {
      fc.assert(
        fc.property(operandsFor(row), (ops) => {
          const d = decode(encode(row, ops));
          expect(d).toEqual({ row, ...ops });
        }),
        { seed: 0x5eed + row.id, numRuns: 200 },
      );
    });

    it(`${row.mnemonic}: encode(decode(w)) == w for every word of the row`, () => {
      fc.assert(
        fc.property(wordsOf(row), (w) => {
          const d = decode(w)!;
          expect(d.row).toBe(row);
          const { row: _r, ...ops } = d;
          expect(encode(row, ops)).toBe(w);
        }),
        { seed: 0xdec0de + row.id, numRuns: 200 },
      );
    });
  }
});
