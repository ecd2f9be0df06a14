import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INSTRUCTIONS } from '../../isa/instructions.js';
import { keyOf, opOfWord } from '../../src/cpu/dispatch.js';
import { KEY_TABLE, OPS } from '../../src/cpu/loop-env.js';

describe('dispatch derived from the instruction table', () => {
  it('gives every row of the table an operation', () => {
    for (const row of INSTRUCTIONS) expect(() => OPS.opOf(row)).not.toThrow();
  });

  it('the key table agrees with full decoding on every row match and on random words', () => {
    for (const row of INSTRUCTIONS) expect(KEY_TABLE[keyOf(row.match)], row.mnemonic).toBe(opOfWord(OPS, row.match));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (w) => {
        const fromKey = KEY_TABLE[keyOf(w)]!;
        const full = opOfWord(OPS, w);
        // A key that needs more bits sends the word to the slow path, which decodes it fully.
        if (fromKey !== OPS.slow) expect(fromKey).toBe(full);
        else expect([OPS.slow, OPS.illegal]).toContain(full);
      }),
      { numRuns: 20000 },
    );
  });

  it('sensitive rows never dispatch to ordinary semantics', () => {
    for (const row of INSTRUCTIONS) {
      const op = KEY_TABLE[keyOf(row.match)];
      if (row.sensitive === true) expect([OPS.opOf(row), OPS.slow], row.mnemonic).toContain(op);
      if (row.sensitive === 'drain-priv') expect(op, row.mnemonic).toBe(OPS.slow);
    }
  });

  it('words that are no instruction are illegal', () => {
    expect(KEY_TABLE[keyOf(0)]).toBe(OPS.illegal);
    expect(KEY_TABLE[keyOf(0xffffffff)]).toBe(OPS.illegal);
  });
});
