/** What the random middle (body.ts) draws from: the instruction menus, corner values and Xshadow operands set to trap. */
import type { CodeBuilder } from './asm.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

export const R_OPS = [
  'add',
  'sub',
  'sll',
  'slt',
  'sltu',
  'xor',
  'srl',
  'sra',
  'or',
  'and',
  'mul',
  'mulh',
  'mulhsu',
  'mulhu',
  'div',
  'divu',
  'rem',
  'remu',
] as const;
export const I_OPS = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'] as const;
export const SHIFTS = ['slli', 'srli', 'srai'] as const;
export const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'] as const;
export const XSHADOW = ['addv', 'subv', 'mulv', 'divv'] as const;
export const NONDET_CSRS = ['time', 'cycle', 'mcycle', 'timeh', 'cycleh', 'seed'] as const;
export const CLOCK_CSRS = ['time', 'cycle', 'mcycle'] as const;
/** The ones U mode may read (mcycle is a machine CSR). */
export const USER_NONDET_CSRS = NONDET_CSRS.filter((c) => c !== 'mcycle');
export const USER_CLOCK_CSRS = CLOCK_CSRS.filter((c) => c !== 'mcycle');
export const CORNERS = [0, 1, -1, INT_MIN, INT_MAX, 0x7fff, 0x8000, 0xffff, 0x10000, -0x10000, 0x55555555, -0x55555556];

/** Loads `a` and `b` so that `mn a, b` overflows (or divides by zero, or INT_MIN / -1); `small` and `pos` vary them. */
export function xshadowOperands(c: CodeBuilder, mn: (typeof XSHADOW)[number], a: number, b: number, small: number, pos: boolean): void {
  switch (mn) {
    case 'addv':
      c.li32(a, pos ? 0x7fff0000 + small : INT_MIN + small);
      c.li32(b, pos ? 0x10000 + small : -0x10000 - small);
      break;
    case 'subv':
      c.li32(a, pos ? INT_MAX - small : INT_MIN + small);
      c.li32(b, pos ? -0x10000 - small : 0x10000 + small);
      break;
    case 'mulv':
      if (pos) {
        c.li32(a, 0x10000 + small);
        c.li32(b, 0x10000 + small);
      } else {
        c.li12(a, -1);
        c.lui(b, 0x80000, 'INT_MIN');
      }
      break;
    case 'divv':
      if (pos) c.li12(b, 0);
      else {
        c.lui(a, 0x80000, 'INT_MIN');
        c.li12(b, -1);
      }
      break;
  }
}
