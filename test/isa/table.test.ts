/** The instruction table itself: rows are well formed, never overlap, and decode to themselves. */
import { describe, expect, it } from 'vitest';
import { BY_MNEMONIC, INSTRUCTIONS, idOf } from '../../isa/instructions.js';
import { decodeRow } from '../../isa/decode.js';
import { FIELD_BITS } from './field-bits.js';

describe('the instruction table', () => {
  it('has dense ids and unique mnemonics', () => {
    INSTRUCTIONS.forEach((r, i) => expect(r.id).toBe(i));
    expect(BY_MNEMONIC.size).toBe(INSTRUCTIONS.length);
    expect(idOf('addi')).toBe(BY_MNEMONIC.get('addi')!.id);
    expect(() => idOf('addx')).toThrow("isa: no instruction named 'addx'");
  });

  it('keeps every match inside its mask', () => {
    for (const r of INSTRUCTIONS) expect((r.match & ~r.mask) >>> 0, r.mnemonic).toBe(0);
  });

  it('has no two rows that match the same word', () => {
    const overlaps: string[] = [];
    for (let i = 0; i < INSTRUCTIONS.length; i++) {
      for (let j = i + 1; j < INSTRUCTIONS.length; j++) {
        const a = INSTRUCTIONS[i]!;
        const b = INSTRUCTIONS[j]!;
        if ((a.mask & b.mask & (a.match ^ b.match)) === 0) overlaps.push(`${a.mnemonic}/${b.mnemonic}`);
      }
    }
    expect(overlaps).toEqual([]);
  });

  it("decodes each row's match word to that row", () => {
    for (const r of INSTRUCTIONS) expect(decodeRow(r.match)?.mnemonic).toBe(r.mnemonic);
  });

  it('has operand fields for every bit its mask leaves free', () => {
    for (const r of INSTRUCTIONS) expect((r.mask | FIELD_BITS(r)) >>> 0, r.mnemonic).toBe(0xffffffff);
  });

  it('rejects words outside every row', () => {
    for (const w of [0, 0xffffffff, 0x0000007f, 0x00003003, 0x0000702b, 0x0000200f, 0x8330000f]) {
      expect(decodeRow(w), w.toString(16)).toBeUndefined();
    }
  });
});
