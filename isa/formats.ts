/**
 * RISC-V instruction formats: how each field and immediate is packed into a 32-bit word.
 * Pure bit-twiddling shared by the encoder, the decoder and the disassembler.
 */

export type Format = 'R' | 'I' | 'I-shift' | 'S' | 'B' | 'U' | 'J' | 'CSR' | 'CSRI' | 'FENCE' | 'FIXED';

export const rd = (w: number): number => (w >>> 7) & 31;
export const rs1 = (w: number): number => (w >>> 15) & 31;
export const rs2 = (w: number): number => (w >>> 20) & 31;
export const funct3 = (w: number): number => (w >>> 12) & 7;
export const funct7 = (w: number): number => (w >>> 25) & 127;
export const opcode = (w: number): number => w & 127;
/** CSR number of a Zicsr instruction. */
export const csrField = (w: number): number => w >>> 20;

/** Sign-extended I-type immediate (bits 31:20). */
export const immI = (w: number): number => w >> 20;
/** Sign-extended S-type immediate. */
export const immS = (w: number): number => ((w >> 25) << 5) | ((w >>> 7) & 31);
/** Sign-extended B-type branch offset (even). */
export const immB = (w: number): number => ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1);
/** U-type immediate, already shifted into place (bits 31:12). */
export const immU = (w: number): number => w & 0xfffff000;
/** Sign-extended J-type jump offset (even). */
export const immJ = (w: number): number =>
  ((w >> 31) << 20) | (((w >>> 12) & 255) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 1023) << 1);

export const packI = (imm: number): number => ((imm & 0xfff) << 20) >>> 0;
export const packS = (imm: number): number => ((((imm >> 5) & 127) << 25) | ((imm & 31) << 7)) >>> 0;
export const packB = (imm: number): number =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 63) << 25) | (((imm >> 1) & 15) << 8) | (((imm >> 11) & 1) << 7)) >>> 0;
export const packU = (imm: number): number => (imm & 0xfffff000) >>> 0;
export const packJ = (imm: number): number =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 1023) << 21) | (((imm >> 11) & 1) << 20) | (((imm >> 12) & 255) << 12)) >>> 0;

export const packRd = (r: number): number => (r & 31) << 7;
export const packRs1 = (r: number): number => (r & 31) << 15;
export const packRs2 = (r: number): number => (r & 31) << 20;

/** Inclusive ranges of every immediate kind, used by the assembler's range errors and by random operand generators. */
export const IMM_RANGE = {
  i: { min: -2048, max: 2047, align: 1 },
  s: { min: -2048, max: 2047, align: 1 },
  b: { min: -4096, max: 4094, align: 2 },
  u: { min: 0, max: 0xfffff, align: 1 },
  j: { min: -1048576, max: 1048574, align: 2 },
  shamt: { min: 0, max: 31, align: 1 },
  csr: { min: 0, max: 4095, align: 1 },
  uimm5: { min: 0, max: 31, align: 1 },
} as const;
export type ImmKind = keyof typeof IMM_RANGE;
