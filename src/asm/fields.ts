/**
 * Which operand fields each row of the instruction table has, derived from its syntax and format.
 * Shared by the encoder, the field decoder, the disassembler and the assembler; lists no opcodes.
 */
import type { InstructionRow, Syntax } from '../../isa/instructions.js';
import { IMM_RANGE, type Format, type ImmKind } from '../../isa/formats.js';

export type Field = 'rd' | 'rs1' | 'rs2' | 'imm' | 'csr' | 'pred' | 'succ';

/** Operand values of one instruction; only the fields of the row's syntax are meaningful. */
export interface Operands {
  rd?: number;
  rs1?: number;
  rs2?: number;
  /** Immediate as written in assembly: a signed offset for B/J, the 20-bit upper value for U, shamt, uimm... */
  imm?: number;
  csr?: number;
  pred?: number;
  succ?: number;
}

/** Fields of each syntax, in assembly order. */
export const SYNTAX_FIELDS: Readonly<Record<Syntax, readonly Field[]>> = {
  'rd, rs1, rs2': ['rd', 'rs1', 'rs2'],
  'rd, rs1, imm': ['rd', 'rs1', 'imm'],
  'rd, rs1, shamt': ['rd', 'rs1', 'imm'],
  'rd, imm(rs1)': ['rd', 'imm', 'rs1'],
  'rs2, imm(rs1)': ['rs2', 'imm', 'rs1'],
  'rs1, rs2, target': ['rs1', 'rs2', 'imm'],
  'rd, imm': ['rd', 'imm'],
  'rd, target': ['rd', 'imm'],
  'rd, csr, rs1': ['rd', 'csr', 'rs1'],
  'rd, csr, uimm': ['rd', 'csr', 'imm'],
  'rd, rs1': ['rd', 'rs1'],
  rs1: ['rs1'],
  'pred, succ': ['pred', 'succ'],
  '': [],
};

/** The kind (and so the range) of a row's immediate, or undefined when it has none. */
export function immKind(row: InstructionRow): ImmKind | undefined {
  if (!SYNTAX_FIELDS[row.syntax].includes('imm')) return undefined;
  return FORMAT_IMM[row.format];
}

const FORMAT_IMM: Partial<Record<Format, ImmKind>> = {
  I: 'i',
  'I-shift': 'shamt',
  S: 's',
  B: 'b',
  U: 'u',
  J: 'j',
  CSRI: 'uimm5',
};

const REGISTER_RANGE = { min: 0, max: 31, align: 1 } as const;
const FENCE_RANGE = { min: 0, max: 15, align: 1 } as const;

/** Inclusive range of every field. */
export function fieldRange(row: InstructionRow, field: Field): { readonly min: number; readonly max: number; readonly align: number } {
  switch (field) {
    case 'rd':
    case 'rs1':
    case 'rs2':
      return REGISTER_RANGE;
    case 'pred':
    case 'succ':
      return FENCE_RANGE;
    case 'csr':
      return IMM_RANGE.csr;
    case 'imm':
      return IMM_RANGE[immKind(row) ?? 'i'];
  }
}
