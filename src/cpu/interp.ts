/**
 * The interpreter's hot loop: executes non-sensitive instructions of one processor until a slice limit.
 * Built for V8: registers in an Int32Array, aligned fetch from an Int32Array view of RAM, a switch on a
 * dense Op (literal case labels: a jump table), pc kept as an offset into RAM, counters in locals, and
 * every stop condition folded into one `limit` (min of the budget, the recovery register and the trap
 * unit's countdown), so the loop tests one number per instruction.
 *
 * The loop refers to nothing imported: only its parameters and the module-level names of LOOP_GLOBALS,
 * so that specialise.ts can compile a private copy of it per processor from its text.
 *
 * Semantics are the RISC-V unprivileged spec's; precise exceptions leave pc at the instruction (which
 * counts), sensitive instructions stop the loop before they execute (not counted). See `loop`.
 */
import { CAUSE, TRAP_CLASS } from '../../isa/csrs.js';
import type { InstructionRow } from '../../isa/instructions.js';
import { buildKeyTable, type OpNumbering } from './dispatch.js';
import { mulh, mulhsu, mulhu } from './alu.js';
import { belowState } from '../base/random.js';
import { decodeRow } from '../../isa/decode.js';
import type { CpuState, Stop } from './types.js';

/** The interpreter's operations: one per non-sensitive instruction, plus the dispatch outcomes. */
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

/** Semantics the loop implements, bound to the table's rows by mnemonic. */
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
/** Rows the loop's slow path settles from the whole word. */
const SLOW_ROWS = new Set(['fence', 'drain']);

export const OPS: OpNumbering = {
  opOf(row: InstructionRow): number {
    if (row.sensitive === true) return Op.SENSITIVE;
    const op = BY_NAME[row.mnemonic];
    if (op !== undefined) return op;
    if (SLOW_ROWS.has(row.mnemonic)) return Op.SLOW;
    throw new Error(`cpu: no semantics for instruction '${row.mnemonic}'`);
  },
  illegal: Op.ILLEGAL,
  slow: Op.SLOW,
};

/**
 * Key -> Op. A module-level, non-exported const, so that optimised code embeds it (no map check or length
 * load per instruction); exported bindings live in cells that V8 does not fold.
 */
const KEY = buildKeyTable(OPS);
export const KEY_TABLE: Uint8Array = KEY;
/** RAM_BASE as an int32: xor with it turns an address into a RAM offset and back. */
const SIGN = -2147483648;
const INT_MIN = -2147483648;
const C_ILLEGAL = CAUSE.ILLEGAL_INSTRUCTION;
const C_LOAD_MISALIGNED = CAUSE.LOAD_MISALIGNED;
const C_LOAD_FAULT = CAUSE.LOAD_ACCESS_FAULT;
const C_STORE_MISALIGNED = CAUSE.STORE_MISALIGNED;
const C_STORE_FAULT = CAUSE.STORE_ACCESS_FAULT;
const OVF = TRAP_CLASS.OVF;
const DIVZ = TRAP_CLASS.DIVZ;
const mulhSS = mulh;
const mulhSU = mulhsu;
const mulhUU = mulhu;
const drawBelow = belowState;
const decodeWord = decodeRow;

/** Exception causes of instruction fetch and jumps (RISC-V standard), from isa/csrs.ts. */
export const FETCH_CAUSE = { MISALIGNED: CAUSE.INSTRUCTION_MISALIGNED, ACCESS_FAULT: CAUSE.INSTRUCTION_ACCESS_FAULT } as const;
const C_FETCH_MISALIGNED = FETCH_CAUSE.MISALIGNED;
const C_FETCH_FAULT = FETCH_CAUSE.ACCESS_FAULT;

export const STOP_BUDGET: Stop = Object.freeze({ kind: 'budget' });
export const STOP_RR: Stop = Object.freeze({ kind: 'rr' });
export const STOP_TRAPS_DELAY: Stop = Object.freeze({ kind: 'traps', forced: 'delay' });
export const STOP_TRAPS_DRAIN: Stop = Object.freeze({ kind: 'traps', forced: 'drain' });

/** Typed-array views over one processor's RAM (derived caches, not state). */
export interface RamViews {
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly m32: Int32Array;
}

export function ramViews(ram: Uint8Array): RamViews {
  const b = ram.buffer;
  const o = ram.byteOffset;
  const n = ram.length;
  return {
    u8: ram,
    i8: new Int8Array(b, o, n),
    u16: new Uint16Array(b, o, n >> 1),
    i16: new Int16Array(b, o, n >> 1),
    m32: new Int32Array(b, o, n >> 2),
  };
}

/** Every module-level name the loop's text uses, by name (specialise.ts binds them for its copies). */
export const LOOP_GLOBALS = (): Record<string, unknown> => ({
  KEY, SIGN, INT_MIN, C_ILLEGAL, C_LOAD_MISALIGNED, C_LOAD_FAULT, C_STORE_MISALIGNED, C_STORE_FAULT, C_FETCH_MISALIGNED,
  C_FETCH_FAULT, OVF, DIVZ, mulhSS, mulhSU, mulhUU, drawBelow, decodeWord, S_NONE, S_EXCEPTION, S_SENSITIVE, S_DRAIN,
  STOP_BUDGET, STOP_RR, STOP_TRAPS_DELAY, STOP_TRAPS_DRAIN,
});

const S_NONE = 0;
const S_EXCEPTION = 1;
const S_SENSITIVE = 2;
const S_DRAIN = 3;

/**
 * Runs at most `budget` (<= 2^30) instructions. Stops, in this order of precedence when several coincide:
 * a precise exception (counted; pc at it) / a sensitive instruction (not counted; pc at it) / a drain with
 * Drain_Priv 0 (counted), then the recovery register reaching 0, then the trap unit's countdown reaching 0,
 * then the budget. Whatever the stop, `state.rr === 0` afterwards (with rr armed before) means the
 * recovery register expired with the last instruction counted.
 */
export function runSlice(s: CpuState, v: RamViews, budget: number): Stop {
  // specialise.ts removes this one statement from its copies, which bind these names to constants.
  const regs = s.regs, m32 = v.m32, u8 = v.u8, i8 = v.i8, u16 = v.u16, i16 = v.i16, dirty = s.dirty;
  const ramSize = u8.length;
  const trap = s.trap;
  const rr = s.rr;
  let po = (s.pc ^ SIGN) | 0;
  let n = 0;
  // Everything the loop compares is a small integer (int32 in optimised code, never a float).
  let limit = budget | 0;
  if (rr > 0 && rr < limit) limit = rr | 0;
  let trapAt = trap.countdown | 0;
  if (trapAt >= 0 && trapAt < limit) limit = trapAt;
  let stop = S_NONE;
  let cause = 0;
  let tval = 0;
  let sword = 0;

  if ((po & 3) !== 0 && limit > 0) {
    n = 1;
    po += 4;
    stop = S_EXCEPTION;
    cause = C_FETCH_MISALIGNED;
    tval = s.pc;
    limit = 0;
  }

  loop: while (n < limit) {
    if ((po >>> 0) >= ramSize) {
      n++;
      cause = C_FETCH_FAULT;
      tval = po ^ SIGN;
      po += 4;
      stop = S_EXCEPTION;
      break;
    }
    const w = m32[po >> 2]!;
    n++;
    po += 4;
    switch (KEY[(w & 0x7f) | ((w >>> 5) & 0x380) | ((w >>> 15) & 0x1fc00)]) {
      case Op.ADDI: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! + (w >> 20); break;
      case Op.ADD: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! + regs[(w >> 20) & 31]!; break;
      case Op.SUB: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! - regs[(w >> 20) & 31]!; break;
      case Op.LUI: regs[(w >> 7) & 31] = w & 0xfffff000; break;
      case Op.AUIPC: regs[(w >> 7) & 31] = ((po - 4) ^ SIGN) + (w & 0xfffff000); break;
      case Op.JAL: {
        const imm = ((w >> 31) << 20) | (((w >>> 12) & 255) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 1023) << 1);
        if ((imm & 2) !== 0) { cause = C_FETCH_MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = po ^ SIGN;
        po = (po - 4 + imm) | 0;
        break;
      }
      case Op.JALR: {
        const t = (regs[(w >> 15) & 31]! + (w >> 20)) & ~1;
        if ((t & 2) !== 0) { cause = C_FETCH_MISALIGNED; tval = t; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = po ^ SIGN;
        po = t ^ SIGN;
        break;
      }
      case Op.BEQ: if (regs[(w >> 15) & 31] === regs[(w >> 20) & 31]) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = C_FETCH_MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } continue;
      case Op.BNE: if (regs[(w >> 15) & 31] !== regs[(w >> 20) & 31]) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = C_FETCH_MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } continue;
      case Op.BLT: if (regs[(w >> 15) & 31]! < regs[(w >> 20) & 31]!) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = C_FETCH_MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } continue;
      case Op.BGE: if (regs[(w >> 15) & 31]! >= regs[(w >> 20) & 31]!) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = C_FETCH_MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } continue;
      case Op.BLTU: if ((regs[(w >> 15) & 31]! >>> 0) < (regs[(w >> 20) & 31]! >>> 0)) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = C_FETCH_MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } continue;
      case Op.BGEU: if ((regs[(w >> 15) & 31]! >>> 0) >= (regs[(w >> 20) & 31]! >>> 0)) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = C_FETCH_MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } continue;
      case Op.LB: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a >>> 0) >= ramSize) { cause = C_LOAD_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = i8[a]!;
        break;
      }
      case Op.LBU: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a >>> 0) >= ramSize) { cause = C_LOAD_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = u8[a]!;
        break;
      }
      case Op.LH: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a & 1) !== 0) { cause = C_LOAD_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = C_LOAD_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = i16[a >> 1]!;
        break;
      }
      case Op.LHU: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a & 1) !== 0) { cause = C_LOAD_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = C_LOAD_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = u16[a >> 1]!;
        break;
      }
      case Op.LW: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a & 3) !== 0) { cause = C_LOAD_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = C_LOAD_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = m32[a >> 2]!;
        break;
      }
      case Op.SB: {
        const a = (regs[(w >> 15) & 31]! + (((w >> 25) << 5) | ((w >>> 7) & 31))) ^ SIGN;
        if ((a >>> 0) >= ramSize) { cause = C_STORE_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        u8[a] = regs[(w >> 20) & 31]!;
        dirty[a >>> 12] = 1;
        continue;
      }
      case Op.SH: {
        const a = (regs[(w >> 15) & 31]! + (((w >> 25) << 5) | ((w >>> 7) & 31))) ^ SIGN;
        if ((a & 1) !== 0) { cause = C_STORE_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = C_STORE_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        u16[a >> 1] = regs[(w >> 20) & 31]!;
        dirty[a >>> 12] = 1;
        continue;
      }
      case Op.SW: {
        const a = (regs[(w >> 15) & 31]! + (((w >> 25) << 5) | ((w >>> 7) & 31))) ^ SIGN;
        if ((a & 3) !== 0) { cause = C_STORE_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = C_STORE_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        m32[a >> 2] = regs[(w >> 20) & 31]!;
        dirty[a >>> 12] = 1;
        continue;
      }
      case Op.SLTI: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! < (w >> 20) ? 1 : 0; break;
      case Op.SLTIU: regs[(w >> 7) & 31] = (regs[(w >> 15) & 31]! >>> 0) < ((w >> 20) >>> 0) ? 1 : 0; break;
      case Op.XORI: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! ^ (w >> 20); break;
      case Op.ORI: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! | (w >> 20); break;
      case Op.ANDI: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! & (w >> 20); break;
      case Op.SLLI: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! << ((w >> 20) & 31); break;
      case Op.SRLI: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! >>> ((w >> 20) & 31); break;
      case Op.SRAI: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! >> ((w >> 20) & 31); break;
      case Op.SLL: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! << regs[(w >> 20) & 31]!; break;
      case Op.SLT: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! < regs[(w >> 20) & 31]! ? 1 : 0; break;
      case Op.SLTU: regs[(w >> 7) & 31] = (regs[(w >> 15) & 31]! >>> 0) < (regs[(w >> 20) & 31]! >>> 0) ? 1 : 0; break;
      case Op.XOR: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! ^ regs[(w >> 20) & 31]!; break;
      case Op.SRL: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! >>> regs[(w >> 20) & 31]!; break;
      case Op.SRA: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! >> regs[(w >> 20) & 31]!; break;
      case Op.OR: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! | regs[(w >> 20) & 31]!; break;
      case Op.AND: regs[(w >> 7) & 31] = regs[(w >> 15) & 31]! & regs[(w >> 20) & 31]!; break;
      case Op.MUL: regs[(w >> 7) & 31] = Math.imul(regs[(w >> 15) & 31]!, regs[(w >> 20) & 31]!); break;
      case Op.MULH: regs[(w >> 7) & 31] = mulhSS(regs[(w >> 15) & 31]!, regs[(w >> 20) & 31]!); break;
      case Op.MULHSU: regs[(w >> 7) & 31] = mulhSU(regs[(w >> 15) & 31]!, regs[(w >> 20) & 31]!); break;
      case Op.MULHU: regs[(w >> 7) & 31] = mulhUU(regs[(w >> 15) & 31]!, regs[(w >> 20) & 31]!); break;
      case Op.DIV: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]!;
        regs[(w >> 7) & 31] = b === 0 ? -1 : a === INT_MIN && b === -1 ? INT_MIN : (a / b) | 0;
        break;
      }
      case Op.DIVU: {
        const b = regs[(w >> 20) & 31]! >>> 0;
        regs[(w >> 7) & 31] = b === 0 ? -1 : ((regs[(w >> 15) & 31]! >>> 0) / b) | 0;
        break;
      }
      case Op.REM: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]!;
        regs[(w >> 7) & 31] = b === 0 ? a : a === INT_MIN && b === -1 ? 0 : (a % b) | 0;
        break;
      }
      case Op.REMU: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]! >>> 0;
        regs[(w >> 7) & 31] = b === 0 ? a : ((a >>> 0) % b) | 0;
        break;
      }
      case Op.ADDV: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]!, rd = (w >> 7) & 31;
        const r = a + b;
        regs[rd] = r;
        if (r !== (r | 0)) {
          trap.v1 = (trap.v1 | (1 << rd)) >>> 0;
          trap.v2 = (trap.v2 | (1 << OVF)) >>> 0;
          if (trapAt < 0) { trapAt = n + drawBelow(trap.rng, trap.maxDelay + 1); if (trapAt < limit) limit = trapAt; }
        }
        break;
      }
      case Op.SUBV: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]!, rd = (w >> 7) & 31;
        const r = a - b;
        regs[rd] = r;
        if (r !== (r | 0)) {
          trap.v1 = (trap.v1 | (1 << rd)) >>> 0;
          trap.v2 = (trap.v2 | (1 << OVF)) >>> 0;
          if (trapAt < 0) { trapAt = n + drawBelow(trap.rng, trap.maxDelay + 1); if (trapAt < limit) limit = trapAt; }
        }
        break;
      }
      case Op.MULV: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]!, rd = (w >> 7) & 31;
        const p = a * b; // exact whenever it fits 32 bits; never rounds back into range when it does not
        regs[rd] = Math.imul(a, b);
        if (p !== (p | 0)) {
          trap.v1 = (trap.v1 | (1 << rd)) >>> 0;
          trap.v2 = (trap.v2 | (1 << OVF)) >>> 0;
          if (trapAt < 0) { trapAt = n + drawBelow(trap.rng, trap.maxDelay + 1); if (trapAt < limit) limit = trapAt; }
        }
        break;
      }
      case Op.DIVV: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]!, rd = (w >> 7) & 31;
        let cls = -1;
        if (b === 0) { regs[rd] = -1; cls = DIVZ; }
        else if (a === INT_MIN && b === -1) { regs[rd] = INT_MIN; cls = OVF; }
        else regs[rd] = (a / b) | 0;
        if (cls >= 0) {
          trap.v1 = (trap.v1 | (1 << rd)) >>> 0;
          trap.v2 = (trap.v2 | (1 << cls)) >>> 0;
          if (trapAt < 0) { trapAt = n + drawBelow(trap.rng, trap.maxDelay + 1); if (trapAt < limit) limit = trapAt; }
        }
        break;
      }
      case Op.SENSITIVE:
        n--;
        sword = w;
        stop = S_SENSITIVE;
        break loop;
      case Op.SLOW: {
        const row = decodeWord(w >>> 0);
        if (row === undefined) { cause = C_ILLEGAL; tval = w; stop = S_EXCEPTION; break loop; }
        if (row.sensitive === true || (row.sensitive === 'drain-priv' && s.drainPriv === 1)) { n--; sword = w; stop = S_SENSITIVE; break loop; }
        if (row.sensitive === 'drain-priv') { stop = S_DRAIN; break loop; }
        break; // fence: a no-op on this machine
      }
      default:
        cause = C_ILLEGAL;
        tval = w;
        stop = S_EXCEPTION;
        break loop;
    }
    // Only instructions that may write rd get here (branches and stores `continue`): x0 stays 0.
    regs[0] = 0;
  }
  regs[0] = 0;

  if (stop === S_EXCEPTION || stop === S_SENSITIVE) po -= 4;
  s.pc = (po ^ SIGN) >>> 0;
  s.instret += n;
  if (rr > 0) s.rr = rr - n;
  trap.countdown = trapAt < 0 ? -1 : trapAt - n;
  switch (stop) {
    case S_EXCEPTION: return { kind: 'exception', cause, tval: tval >>> 0 };
    case S_SENSITIVE: return { kind: 'sensitive', word: sword >>> 0 };
    case S_DRAIN: return STOP_TRAPS_DRAIN;
  }
  if (rr > 0 && s.rr === 0) return STOP_RR;
  if (trapAt >= 0 && trapAt === n) return STOP_TRAPS_DELAY;
  return STOP_BUDGET;
}
