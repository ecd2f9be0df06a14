/**
 * What every non-sensitive instruction of THE table (instructions.ts) does, as a small template, in the
 * manner of Spike's insns/*.h. The interpreter (src/cpu/interp.ts), the block translator
 * (src/cpu/translate.ts) and the definitions in isa/ISA.md (isa/describe.ts) are generated from these
 * strings, so each instruction is defined once.
 *
 * A template is a JavaScript statement over int32 values, with these names, which each generator expands
 * (the interpreter from the word `w` at run time, the translator to literals where it can):
 *  - `RS1`, `RS2`: the source registers' values (int32; x0 reads 0); read before anything is written;
 *  - `IMM`: the row's format's immediate (formats.ts: I, S, B, U, J; the raw I field for shifts);
 *  - `PC`: the instruction's own address, `NEXT`: PC + 4 (both as int32);
 *  - `SET(x)`: rd = x (writes to x0 are dropped);
 *  - `LINK(t)`: a jump to t with rd = NEXT (a misaligned t is an instruction-address-misaligned exception);
 *  - `JUMP(t)`: a jump to t (branches), with the same check;
 *  - `LOAD(view, addr)`: rd = the view's element at addr; `STORE(view, addr, x)`: writes x there.
 *    The view is the access size and signedness: i8, u8, i16, u16, m32. A misaligned address is a
 *    misaligned exception and one outside RAM an access fault (tval = the address); a store marks its
 *    page dirty;
 *  - `DEFER(cls)`: the Xshadow trap unit records class cls (OVF, DIVZ) against rd, and starts its delay
 *    if it is idle;
 *  - helper functions `mulh`, `mulhsu`, `mulhu`, `div`, `divu`, `rem`, `remu` (src/cpu/alu.ts) and the
 *    constant `INT_MIN`.
 */

/** The rows that run in the loop's slow path instead: decided by the whole word (instructions.ts). */
export const SLOW_PATH = ['fence', 'drain'] as const;

/** Template by mnemonic, for every row that is not sensitive. `fence` is a no-op on this machine. */
export const SEMANTICS: Readonly<Record<string, string>> = {
  lui: 'SET(IMM)',
  auipc: 'SET(PC + IMM)',
  jal: 'LINK(PC + IMM)',
  jalr: 'LINK((RS1 + IMM) & ~1)',
  beq: 'if (RS1 === RS2) JUMP(PC + IMM)',
  bne: 'if (RS1 !== RS2) JUMP(PC + IMM)',
  blt: 'if (RS1 < RS2) JUMP(PC + IMM)',
  bge: 'if (RS1 >= RS2) JUMP(PC + IMM)',
  bltu: 'if ((RS1 >>> 0) < (RS2 >>> 0)) JUMP(PC + IMM)',
  bgeu: 'if ((RS1 >>> 0) >= (RS2 >>> 0)) JUMP(PC + IMM)',
  lb: 'LOAD(i8, RS1 + IMM)',
  lh: 'LOAD(i16, RS1 + IMM)',
  lw: 'LOAD(m32, RS1 + IMM)',
  lbu: 'LOAD(u8, RS1 + IMM)',
  lhu: 'LOAD(u16, RS1 + IMM)',
  sb: 'STORE(u8, RS1 + IMM, RS2)',
  sh: 'STORE(u16, RS1 + IMM, RS2)',
  sw: 'STORE(m32, RS1 + IMM, RS2)',
  addi: 'SET(RS1 + IMM)',
  slti: 'SET(RS1 < IMM ? 1 : 0)',
  sltiu: 'SET((RS1 >>> 0) < (IMM >>> 0) ? 1 : 0)',
  xori: 'SET(RS1 ^ IMM)',
  ori: 'SET(RS1 | IMM)',
  andi: 'SET(RS1 & IMM)',
  slli: 'SET(RS1 << (IMM & 31))',
  srli: 'SET(RS1 >>> (IMM & 31))',
  srai: 'SET(RS1 >> (IMM & 31))',
  add: 'SET(RS1 + RS2)',
  sub: 'SET(RS1 - RS2)',
  sll: 'SET(RS1 << RS2)',
  slt: 'SET(RS1 < RS2 ? 1 : 0)',
  sltu: 'SET((RS1 >>> 0) < (RS2 >>> 0) ? 1 : 0)',
  xor: 'SET(RS1 ^ RS2)',
  srl: 'SET(RS1 >>> RS2)',
  sra: 'SET(RS1 >> RS2)',
  or: 'SET(RS1 | RS2)',
  and: 'SET(RS1 & RS2)',
  fence: '',
  mul: 'SET(Math.imul(RS1, RS2))',
  mulh: 'SET(mulh(RS1, RS2))',
  mulhsu: 'SET(mulhsu(RS1, RS2))',
  mulhu: 'SET(mulhu(RS1, RS2))',
  div: 'SET(div(RS1, RS2))',
  divu: 'SET(divu(RS1, RS2))',
  rem: 'SET(rem(RS1, RS2))',
  remu: 'SET(remu(RS1, RS2))',
  // Xshadow: the result is written whether or not the trap unit records the instruction.
  addv: 'const r = RS1 + RS2; SET(r); if (r !== (r | 0)) DEFER(OVF)',
  subv: 'const r = RS1 - RS2; SET(r); if (r !== (r | 0)) DEFER(OVF)',
  // RS1 * RS2 is exact whenever it fits 32 bits, and never rounds back into range when it does not.
  mulv: 'const p = RS1 * RS2; SET(Math.imul(RS1, RS2)); if (p !== (p | 0)) DEFER(OVF)',
  divv: 'SET(div(RS1, RS2)); if (RS2 === 0) { DEFER(DIVZ) } else if (RS1 === INT_MIN && RS2 === -1) { DEFER(OVF) }',
  drain: '',
};

/** The immediate of each format, as an expression of the word `w` (the same bits as formats.ts's imm*). */
export const IMM_OF_FORMAT: Readonly<Record<string, string>> = {
  I: 'w >> 20',
  'I-shift': 'w >> 20',
  S: '((w >> 25) << 5) | ((w >>> 7) & 31)',
  B: '((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1)',
  U: 'w & 0xfffff000',
  J: '((w >> 31) << 20) | (((w >>> 12) & 255) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 1023) << 1)',
};

/** Bytes of each RAM view a LOAD or STORE names. */
export const VIEW_BYTES: Readonly<Record<string, 1 | 2 | 4>> = { i8: 1, u8: 1, i16: 2, u16: 2, m32: 4 };
