/**
 * The encoder: a row of the instruction table plus operand values -> a 32-bit word, with every
 * field range-checked. The row's match supplies the opcode bits; the format says where fields go.
 */
import { BY_MNEMONIC, type InstructionRow } from '../../isa/instructions.js';
import { ShadowError } from '../base/errors.js';
import { SYNTAX_FIELDS, fieldRange, placement, type Field, type Operands } from './fields.js';

/** An operand that does not fit its field. `field` says which one, so the assembler can point at it. */
export class EncodeError extends ShadowError {
  constructor(
    readonly field: Field | undefined,
    message: string,
  ) {
    super('ASM', message);
    this.name = 'EncodeError';
  }
}

const ALL_FIELDS: readonly Field[] = ['rd', 'rs1', 'rs2', 'imm', 'csr', 'pred', 'succ'];

/** `-2048..2047` style ranges for messages. */
export function rangeText(min: number, max: number): string {
  return `${min}..${max}`;
}

/** Checks one operand value against its field; throws EncodeError naming the range. */
export function checkField(row: InstructionRow, field: Field, value: number): void {
  const r = fieldRange(row, field);
  if (!Number.isInteger(value) || value < r.min || value > r.max) {
    const what =
      field === 'imm'
        ? 'immediate'
        : field === 'csr'
          ? 'CSR number'
          : field === 'pred' || field === 'succ'
            ? `fence ${field}`
            : 'register number';
    throw new EncodeError(field, `${what} ${value} out of range ${rangeText(r.min, r.max)}`);
  }
  if (r.align > 1 && value % r.align !== 0) {
    throw new EncodeError(field, `offset ${value} is not a multiple of ${r.align}`);
  }
}

/** Encodes one instruction: the row's match with each operand in its place. Throws EncodeError for a missing, extra or out-of-range operand. */
export function encode(what: string | InstructionRow, ops: Operands = {}): number {
  const row = typeof what === 'string' ? BY_MNEMONIC.get(what) : what;
  if (!row) throw new EncodeError(undefined, `unknown instruction '${String(what)}'`);
  const fields = SYNTAX_FIELDS[row.syntax];
  let w = row.match;
  // Indexed, not `for...of`: cold, the iterator allocates a result per field.
  for (let i = 0; i < ALL_FIELDS.length; i++) {
    const f = ALL_FIELDS[i]!;
    const v = ops[f];
    if (fields.includes(f)) {
      if (v === undefined) throw new EncodeError(f, `${row.mnemonic}: missing operand ${f}`);
      checkField(row, f, v);
      w |= placement(row, f)?.pack(v) ?? 0;
    } else if (v !== undefined) {
      throw new EncodeError(f, `${row.mnemonic}: has no operand ${f}`);
    }
  }
  return w >>> 0;
}
