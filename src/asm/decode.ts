/**
 * The field decoder: a 32-bit word -> its row and operand values, exactly the fields of the row's
 * syntax, in the units `encode` takes (so encode(decode(w).row, decode(w)) === w).
 */
import type { InstructionRow } from '../../isa/instructions.js';
import { decodeRow } from '../../isa/decode.js';
import { SYNTAX_FIELDS, placement, type Operands } from './fields.js';

export interface DecodedInstruction extends Operands {
  readonly row: InstructionRow;
}

/** Decodes a word, or returns undefined for an illegal instruction. */
export function decode(word: number): DecodedInstruction | undefined {
  const w = word >>> 0;
  const row = decodeRow(w);
  if (!row) return undefined;
  const d: { row: InstructionRow } & Operands = { row };
  for (const f of SYNTAX_FIELDS[row.syntax]) d[f] = placement(row, f)?.read(w) ?? 0;
  return d;
}
