/**
 * Word -> instruction row, derived from the table. A 64K-entry index on the bits that tell rows apart
 * (opcode, funct3, funct7) narrows each lookup to a handful of candidates, checked by match/mask.
 */
import { INSTRUCTIONS, type InstructionRow } from './instructions.js';

const keyOf = (w: number): number => ((w & 0x7f) | (((w >>> 12) & 7) << 7) | (((w >>> 25) & 0x7f) << 10)) >>> 0;

/** For each key, the rows whose match/mask can agree with it on the keyed bits. */
const BUCKETS: InstructionRow[][] = (() => {
  const buckets: InstructionRow[][] = Array.from({ length: 1 << 17 }, () => []);
  for (let key = 0; key < 1 << 17; key++) {
    const word = ((key & 0x7f) | (((key >>> 7) & 7) << 12) | (((key >>> 10) & 0x7f) << 25)) >>> 0;
    const keyedMask = (0x7f | (7 << 12) | (0x7f << 25)) >>> 0;
    for (const row of INSTRUCTIONS) {
      if (((word ^ row.match) & row.mask & keyedMask) === 0) buckets[key]!.push(row);
    }
  }
  return buckets;
})();

/** The row that a 32-bit word encodes, or undefined for an illegal instruction. */
export function decodeRow(word: number): InstructionRow | undefined {
  for (const row of BUCKETS[keyOf(word)]!) {
    if (((word ^ row.match) & row.mask) === 0) return row;
  }
  return undefined;
}
