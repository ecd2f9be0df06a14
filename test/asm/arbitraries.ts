/** fast-check generators shared by the encoder, disassembler and assembler tests. */
import fc from 'fast-check';
import type { InstructionRow } from '../../isa/instructions.js';
import { SYNTAX_FIELDS, fieldRange, type Operands } from '../../src/asm/fields.js';

/** Random operands for a row, each field within its range (offsets even). */
export function operandsFor(row: InstructionRow): fc.Arbitrary<Operands> {
  const record: Record<string, fc.Arbitrary<number>> = {};
  for (const f of SYNTAX_FIELDS[row.syntax]) {
    const r = fieldRange(row, f);
    record[f] = r.align === 2 ? fc.integer({ min: r.min / 2, max: r.max / 2 }).map((v) => v * 2) : fc.integer({ min: r.min, max: r.max });
  }
  return fc.record(record) as fc.Arbitrary<Operands>;
}

/** Random words of one row: its match bits, random elsewhere. */
export function wordsOf(row: InstructionRow): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 0xffffffff }).map((noise) => ((noise & ~row.mask) | row.match) >>> 0);
}
