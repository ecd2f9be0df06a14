/** Bits of a word covered by a row's operand fields (a test helper: the encoder's view, independently). */
import type { InstructionRow } from '../../isa/instructions.js';
import { SYNTAX_FIELDS } from '../../src/asm/fields.js';

const RD = 0xf80;
const RS1 = 0xf8000;
const RS2 = 0x1f00000;

export function FIELD_BITS(r: InstructionRow): number {
  let bits = 0;
  for (const f of SYNTAX_FIELDS[r.syntax]) {
    if (f === 'rd') bits |= RD;
    if (f === 'rs1') bits |= RS1;
    if (f === 'rs2') bits |= RS2;
    if (f === 'csr') bits |= 0xfff00000;
    if (f === 'pred') bits |= 0x0f000000;
    if (f === 'succ') bits |= 0x00f00000;
    if (f === 'imm') {
      bits |=
        {
          I: 0xfff00000,
          'I-shift': RS2,
          S: 0xfe000f80,
          B: 0xfe000f80,
          U: 0xfffff000,
          J: 0xfffff000,
          CSRI: RS1,
        }[r.format as 'I'] ?? 0;
    }
  }
  return bits >>> 0;
}
