/**
 * Interpreter dispatch, derived from THE instruction table (isa/instructions.ts): a 17-bit key table that
 * maps opcode|funct3|funct7 of any word to the interpreter's operation number. No opcode number appears
 * here: keys are filled by matching every row's match/mask; the interpreter (interp.ts, which owns its
 * `Op` numbering so that its switch has literal case labels) says which Op each row gets.
 *
 * Keys that one row fully decides map to that row's Op; keys whose rows need more bits than the key
 * (fence, ecall/ebreak/mret/wfi, drain, io, halt) map to `slow`, where `decodeRow` settles the word.
 */
import { INSTRUCTIONS, type InstructionRow } from '../../isa/instructions.js';
import { decodeRow } from '../../isa/decode.js';

/** The bits a key is made of: opcode (6:0), funct3 (14:12), funct7 (31:25). */
export const KEYED_MASK = (0x7f | (7 << 12) | (0x7f << 25)) >>> 0;

/** The key of a word (inlined by hand in the interpreter's loop: keep the two in step). */
export const keyOf = (w: number): number => (w & 0x7f) | ((w >>> 5) & 0x380) | ((w >>> 15) & 0x1fc00);

function wordOfKey(key: number): number {
  return ((key & 0x7f) | (((key >>> 7) & 7) << 12) | (((key >>> 10) & 0x7f) << 25)) >>> 0;
}

/** How the interpreter numbers its operations. */
export interface OpNumbering {
  /** The Op of a row the key decides alone (throws for a row the interpreter has no semantics for). */
  readonly opOf: (row: InstructionRow) => number;
  readonly illegal: number;
  readonly slow: number;
}

/** Key -> Op for every 17-bit key. Checks that every row of the table has an Op. */
export function buildKeyTable(ops: OpNumbering): Uint8Array {
  const table = new Uint8Array(1 << 17).fill(ops.illegal);
  const byOpcode: InstructionRow[][] = [];
  for (let opc = 0; opc < 128; opc++) byOpcode.push(INSTRUCTIONS.filter((row) => ((opc ^ row.match) & row.mask & 0x7f) === 0));
  const opOfRow = new Map(INSTRUCTIONS.map((row) => [row, ops.opOf(row)]));
  for (let key = 0; key < table.length; key++) {
    const rows = byOpcode[key & 0x7f]!;
    if (rows.length === 0) continue;
    const word = wordOfKey(key);
    let found: InstructionRow | undefined;
    let count = 0;
    for (const row of rows) {
      if (((word ^ row.match) & row.mask & KEYED_MASK) === 0) {
        found = row;
        count++;
      }
    }
    if (count === 1 && (found!.mask & ~KEYED_MASK) === 0) table[key] = opOfRow.get(found!)!;
    else if (count > 0) table[key] = ops.slow;
  }
  return table;
}

/** The Op of a full word, decoded the slow way (what tests compare the key table against). */
export function opOfWord(ops: OpNumbering, word: number): number {
  const row = decodeRow(word >>> 0);
  if (!row) return ops.illegal;
  return (row.mask & ~KEYED_MASK) !== 0 ? ops.slow : ops.opOf(row);
}
