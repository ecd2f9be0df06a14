/** The decode key (isa/decode.ts): its fields, and its inverse on the keyed bits. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KEYED_MASK, keyOf, wordOfKey } from '../../isa/decode.js';

describe('decode key', () => {
  it('is opcode | funct3 << 7 | funct7 << 10', () => {
    // srai x0, x0, 0: opcode 0x13, funct3 5, funct7 0x20.
    expect(keyOf(0x40005013)).toBe(0x13 | (5 << 7) | (0x20 << 10));
    expect(keyOf(0xffffffff)).toBe((1 << 17) - 1);
  });

  it('wordOfKey gives back exactly the keyed bits of any word', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (w) => {
        expect(wordOfKey(keyOf(w))).toBe((w & KEYED_MASK) >>> 0);
      }),
      { numRuns: 20000 },
    );
  });
});
