/**
 * The field decoder: a 32-bit word -> its row and operand values, exactly the fields of the row's
 * syntax, in the units `encode` takes (so encode(decode(w).row, decode(w)) === w).
 */
import type { InstructionRow } from '../../isa/instructions.js';
import { decodeRow } from '../../isa/decode.js';
import { csrField, immB, immI, immJ, immS, rd, rs1, rs2 } from '../../isa/formats.js';
import { SYNTAX_FIELDS, type Operands } from './fields.js';

export interface DecodedInstruction extends Operands {
  readonly row: InstructionRow;
}

/** Decodes a word, or returns undefined for an illegal instruction. */
export function decode(word: number): DecodedInstruction | undefined {
  const w = word >>> 0;
  const row = decodeRow(w);
  if (!row) return undefined;
  const d: { row: InstructionRow } & Operands = { row };
  for (const f of SYNTAX_FIELDS[row.syntax]) {
    switch (f) {
      case 'rd':
        d.rd = rd(w);
        break;
      case 'rs1':
        d.rs1 = rs1(w);
        break;
      case 'rs2':
        d.rs2 = rs2(w);
        break;
      case 'csr':
        d.csr = csrField(w);
        break;
      case 'pred':
        d.pred = (w >>> 24) & 15;
        break;
      case 'succ':
        d.succ = (w >>> 20) & 15;
        break;
      case 'imm':
        d.imm = immediate(row, w);
        break;
    }
  }
  return d;
}

function immediate(row: InstructionRow, w: number): number {
  switch (row.format) {
    case 'I':
      return immI(w);
    case 'I-shift':
      return rs2(w);
    case 'S':
      return immS(w);
    case 'B':
      return immB(w);
    case 'U':
      return w >>> 12;
    case 'J':
      return immJ(w);
    case 'CSRI':
      return rs1(w);
    default:
      return 0;
  }
}
