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
import { decodeRow, KEYED_MASK, keyOf, wordOfKey } from '../../isa/decode.js';

/** The decode key (defined once, in isa/decode.ts; inlined by hand in the interpreter's loop). */
export { KEYED_MASK, keyOf };

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
