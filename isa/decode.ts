/**
 * Word -> instruction row, derived from the table. An index on the bits that tell rows apart (opcode,
 * funct3, funct7), filled lazily, narrows each lookup to a handful of candidates checked by match/mask.
 */
import { INSTRUCTIONS, type InstructionRow } from './instructions.js';

/**
 * The decode key of a word: opcode (6:0) | funct3 (14:12) << 7 | funct7 (31:25) << 10, 17 bits. The one
 * definition, used here and by the interpreter's dispatch (src/cpu/dispatch.ts); the interpreter's loop
 * inlines the same expression by hand, and test/cpu/dispatch.test.ts holds the two in step.
 */
export const keyOf = (w: number): number => (w & 0x7f) | ((w >>> 5) & 0x380) | ((w >>> 15) & 0x1fc00);

/** The bits a key is made of: opcode (6:0), funct3 (14:12), funct7 (31:25). */
export const KEYED_MASK = (0x7f | (7 << 12) | (0x7f << 25)) >>> 0;

/** The word whose keyed bits are the key's and whose other bits are zero. */
export function wordOfKey(key: number): number {
  return ((key & 0x7f) | (((key >>> 7) & 7) << 12) | (((key >>> 10) & 0x7f) << 25)) >>> 0;
}
/** For each key, the rows whose match/mask can agree with it on the keyed bits; filled on first use. */
const buckets: (InstructionRow[] | undefined)[] = new Array(1 << 17);

function bucket(key: number): InstructionRow[] {
  const word = wordOfKey(key);
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
