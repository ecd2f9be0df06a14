/**
 * Which operand fields each row of the instruction table has, derived from its syntax and format, and where
 * each stands in a word. Shared by the encoder, the field decoder, the disassembler and the assembler; lists
 * no opcodes.
 */
import type { InstructionRow, Syntax } from '../../isa/instructions.js';
import {
  IMM_RANGE,
  csrField,
  immB,
  immI,
  immJ,
  immS,
  packB,
  packI,
  packJ,
  packRd,
  packRs1,
  packRs2,
  packS,
  packU,
  rd,
  rs1,
  rs2,
  type Format,
  type ImmKind,
} from '../../isa/formats.js';

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

/** Where a field stands in a word: `pack` gives its bits (0 elsewhere), `read` takes them back (encode and decode). */
export interface Placement {
  pack(value: number): number;
  read(word: number): number;
}

/** The immediate of each format that has one: its kind (and so its range) and where it stands. */
const FORMAT_IMM: Readonly<Partial<Record<Format, Placement & { readonly kind: ImmKind }>>> = {
  I: { kind: 'i', pack: packI, read: immI },
  'I-shift': { kind: 'shamt', pack: packRs2, read: rs2 },
  S: { kind: 's', pack: packS, read: immS },
  B: { kind: 'b', pack: packB, read: immB },
  U: { kind: 'u', pack: (imm) => packU(imm << 12), read: (w) => w >>> 12 },
  J: { kind: 'j', pack: packJ, read: immJ },
  CSRI: { kind: 'uimm5', pack: packRs1, read: rs1 },
};

/** Where every other field stands, whatever the format. */
const FIELD_PLACES: Readonly<Record<Exclude<Field, 'imm'>, Placement>> = {
  rd: { pack: packRd, read: rd },
  rs1: { pack: packRs1, read: rs1 },
  rs2: { pack: packRs2, read: rs2 },
  csr: { pack: (v) => v << 20, read: csrField },
  pred: { pack: (v) => v << 24, read: (w) => (w >>> 24) & 15 },
  succ: { pack: (v) => v << 20, read: (w) => (w >>> 20) & 15 },
};

/** Where `field` stands in a word of `row` (the immediate by its format); undefined for an immediate its format lacks. */
export function placement(row: InstructionRow, field: Field): Placement | undefined {
  return field === 'imm' ? FORMAT_IMM[row.format] : FIELD_PLACES[field];
}

/** The kind (and so the range) of a row's immediate, or undefined when it has none. */
export function immKind(row: InstructionRow): ImmKind | undefined {
  if (!SYNTAX_FIELDS[row.syntax].includes('imm')) return undefined;
  return FORMAT_IMM[row.format]?.kind;
}

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
