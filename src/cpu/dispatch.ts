/**
 * Interpreter dispatch, derived from THE instruction table (isa/instructions.ts): a dense internal
 * operation number per non-sensitive instruction (the `Op` const enum, so that the interpreter's switch
 * has literal case labels and compiles to a jump table), and a 17-bit key table mapping
 * opcode|funct3|funct7 of any word to its Op. No opcode number appears here: keys are filled by matching
 * every row's match/mask, and rows are bound to semantics by mnemonic.
 *
 * Keys that one row fully decides map to that row's Op (or SENSITIVE); keys whose rows need more bits
 * (fence, ecall/ebreak/mret/wfi, drain, io, halt) map to SLOW, where `decodeRow` settles the word.
 */
import { INSTRUCTIONS, type InstructionRow } from '../../isa/instructions.js';
import { decodeRow } from '../../isa/decode.js';

export const enum Op {
  ILLEGAL = 0, SENSITIVE, SLOW,
  LUI, AUIPC, JAL, JALR,
  BEQ, BNE, BLT, BGE, BLTU, BGEU,
  LB, LH, LW, LBU, LHU, SB, SH, SW,
  ADDI, SLTI, SLTIU, XORI, ORI, ANDI, SLLI, SRLI, SRAI,
  ADD, SUB, SLL, SLT, SLTU, XOR, SRL, SRA, OR, AND,
  MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU,
  ADDV, SUBV, MULV, DIVV,
}

/** Semantics the interpreter implements, by mnemonic. */
const BY_NAME: Readonly<Record<string, Op>> = {
  lui: Op.LUI, auipc: Op.AUIPC, jal: Op.JAL, jalr: Op.JALR,
  beq: Op.BEQ, bne: Op.BNE, blt: Op.BLT, bge: Op.BGE, bltu: Op.BLTU, bgeu: Op.BGEU,
  lb: Op.LB, lh: Op.LH, lw: Op.LW, lbu: Op.LBU, lhu: Op.LHU, sb: Op.SB, sh: Op.SH, sw: Op.SW,
  addi: Op.ADDI, slti: Op.SLTI, sltiu: Op.SLTIU, xori: Op.XORI, ori: Op.ORI, andi: Op.ANDI,
  slli: Op.SLLI, srli: Op.SRLI, srai: Op.SRAI,
  add: Op.ADD, sub: Op.SUB, sll: Op.SLL, slt: Op.SLT, sltu: Op.SLTU, xor: Op.XOR, srl: Op.SRL, sra: Op.SRA,
  or: Op.OR, and: Op.AND,
  mul: Op.MUL, mulh: Op.MULH, mulhsu: Op.MULHSU, mulhu: Op.MULHU, div: Op.DIV, divu: Op.DIVU, rem: Op.REM, remu: Op.REMU,
  addv: Op.ADDV, subv: Op.SUBV, mulv: Op.MULV, divv: Op.DIVV,
};

/** Rows the slow path handles itself (no Op): they need the whole word. */
const SLOW_ROWS = new Set(['fence', 'drain']);

/** The bits a key is made of: opcode (6:0), funct3 (14:12), funct7 (31:25). */
export const KEYED_MASK = (0x7f | (7 << 12) | (0x7f << 25)) >>> 0;

/** The key of a word (also inlined by hand in the interpreter's loop: keep the two in step). */
export const keyOf = (w: number): number => (w & 0x7f) | ((w >>> 5) & 0x380) | ((w >>> 15) & 0x1fc00);

function wordOfKey(key: number): number {
  return ((key & 0x7f) | (((key >>> 7) & 7) << 12) | (((key >>> 10) & 0x7f) << 25)) >>> 0;
}

function opOfRow(row: InstructionRow): Op {
  if (row.sensitive === true) return Op.SENSITIVE;
  const op = BY_NAME[row.mnemonic];
  if (op !== undefined) return op;
  if (SLOW_ROWS.has(row.mnemonic)) return Op.SLOW;
  throw new Error(`cpu: no semantics for instruction '${row.mnemonic}'`);
}

function buildKeyTable(): Uint8Array {
  const table = new Uint8Array(1 << 17);
  for (const row of INSTRUCTIONS) opOfRow(row); // every row has semantics, or the module refuses to load
  const byOpcode: InstructionRow[][] = [];
  for (let opc = 0; opc < 128; opc++) byOpcode.push(INSTRUCTIONS.filter((row) => ((opc ^ row.match) & row.mask & 0x7f) === 0));
  for (let key = 0; key < table.length; key++) {
    const word = wordOfKey(key);
    const rows = byOpcode[key & 0x7f]!.filter((row) => ((word ^ row.match) & row.mask & KEYED_MASK) === 0);
    if (rows.length === 0) table[key] = Op.ILLEGAL;
    else if (rows.length === 1 && (rows[0]!.mask & ~KEYED_MASK) === 0) table[key] = opOfRow(rows[0]!);
    else table[key] = Op.SLOW;
  }
  return table;
}

/** Key -> Op for every 17-bit key. */
export const KEY_TABLE: Uint8Array = buildKeyTable();

/** The Op of a full word (the slow path's answer, and what tests compare the key table against). */
export function opOfWord(word: number): Op {
  const row = decodeRow(word >>> 0);
  return row ? opOfRow(row) : Op.ILLEGAL;
}
