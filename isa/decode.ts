/**
 * Word -> instruction row, derived from the table. An index on the bits that tell rows apart (opcode,
 * funct3, funct7), filled lazily, narrows each lookup to a handful of candidates checked by match/mask.
 */
import { INSTRUCTIONS, type InstructionRow } from './instructions.js';

const keyOf = (w: number): number => ((w & 0x7f) | (((w >>> 12) & 7) << 7) | (((w >>> 25) & 0x7f) << 10)) >>> 0;

const KEYED_MASK = (0x7f | (7 << 12) | (0x7f << 25)) >>> 0;
/** For each key, the rows whose match/mask can agree with it on the keyed bits; filled on first use. */
const buckets: (InstructionRow[] | undefined)[] = new Array(1 << 17);

function bucket(key: number): InstructionRow[] {
  const word = ((key & 0x7f) | (((key >>> 7) & 7) << 12) | (((key >>> 10) & 0x7f) << 25)) >>> 0;
  const rows = INSTRUCTIONS.filter((row) => ((word ^ row.match) & row.mask & KEYED_MASK) === 0);
  buckets[key] = rows;
  return rows;
}

/** The row that a 32-bit word encodes, or undefined for an illegal instruction. */
export function decodeRow(word: number): InstructionRow | undefined {
  const key = keyOf(word);
  for (const row of buckets[key] ?? bucket(key)) {
    if (((word ^ row.match) & row.mask) === 0) return row;
  }
  return undefined;
}
