/**
 * The interpreter's hot loop: executes non-sensitive instructions of one processor until a slice limit.
 * Built for V8: registers in an Int32Array, aligned fetch from an Int32Array view of RAM, a switch on the
 * dense Op of src/cpu/dispatch.ts (literal case labels, a jump table), pc kept as an offset into RAM,
 * counters in locals, and every stop condition folded into one `limit` (min of the budget, the recovery
 * register and the trap unit's countdown), so the loop tests one number per instruction.
 *
 * Semantics are the RISC-V unprivileged spec's; precise exceptions leave pc at the instruction (which
 * counts), sensitive instructions stop the loop before they execute (not counted). See `runSlice`.
 */
import { CAUSE, TRAP_CLASS } from '../../isa/csrs.js';
import { KEY_TABLE, Op } from './dispatch.js';
import { mulh, mulhsu, mulhu } from './alu.js';
import { belowState } from '../hw/random.js';
import { decodeRow } from '../../isa/decode.js';
import type { CpuState, Stop } from './types.js';

/** RAM_BASE as an int32: xor with it turns an address into a RAM offset and back. */
const SIGN = -2147483648;
const INT_MIN = -2147483648;

/** Exception causes of instruction fetch and jumps (RISC-V standard; isa/csrs.ts lists the data-side ones). */
export const FETCH_CAUSE = { MISALIGNED: 0, ACCESS_FAULT: 1 } as const;

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
  const regs = s.regs;
  const m32 = v.m32, u8 = v.u8, i8 = v.i8, u16 = v.u16, i16 = v.i16;
  const dirty = s.dirty;
  const ramSize = u8.length;
  const KEY = KEY_TABLE;
  const trap = s.trap;
  const rr = s.rr;
  let po = (s.pc ^ SIGN) | 0;
  let n = 0;
  let limit = budget;
  if (rr > 0 && rr < limit) limit = rr;
  let trapAt = trap.countdown;
  if (trapAt >= 0 && trapAt < limit) limit = trapAt;
  let stop = S_NONE;
  let cause = 0;
  let tval = 0;
  let sword = 0;

  if ((po & 3) !== 0 && limit > 0) {
    n = 1;
    po += 4;
    stop = S_EXCEPTION;
    cause = FETCH_CAUSE.MISALIGNED;
    tval = s.pc;
    limit = 0;
  }

  loop: while (n < limit) {
    if ((po >>> 0) >= ramSize) {
      n++;
      cause = FETCH_CAUSE.ACCESS_FAULT;
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
        if ((imm & 2) !== 0) { cause = FETCH_CAUSE.MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = po ^ SIGN;
        po = (po - 4 + imm) | 0;
        break;
      }
      case Op.JALR: {
        const t = (regs[(w >> 15) & 31]! + (w >> 20)) & ~1;
        if ((t & 2) !== 0) { cause = FETCH_CAUSE.MISALIGNED; tval = t; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = po ^ SIGN;
        po = t ^ SIGN;
        break;
      }
      case Op.BEQ: if (regs[(w >> 15) & 31] === regs[(w >> 20) & 31]) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = FETCH_CAUSE.MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } break;
      case Op.BNE: if (regs[(w >> 15) & 31] !== regs[(w >> 20) & 31]) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = FETCH_CAUSE.MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } break;
      case Op.BLT: if (regs[(w >> 15) & 31]! < regs[(w >> 20) & 31]!) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = FETCH_CAUSE.MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } break;
      case Op.BGE: if (regs[(w >> 15) & 31]! >= regs[(w >> 20) & 31]!) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = FETCH_CAUSE.MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } break;
      case Op.BLTU: if ((regs[(w >> 15) & 31]! >>> 0) < (regs[(w >> 20) & 31]! >>> 0)) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = FETCH_CAUSE.MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } break;
      case Op.BGEU: if ((regs[(w >> 15) & 31]! >>> 0) >= (regs[(w >> 20) & 31]! >>> 0)) { const imm = ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1); if ((imm & 2) !== 0) { cause = FETCH_CAUSE.MISALIGNED; tval = (po - 4 + imm) ^ SIGN; stop = S_EXCEPTION; break loop; } po = (po - 4 + imm) | 0; } break;
      case Op.LB: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a >>> 0) >= ramSize) { cause = CAUSE.LOAD_ACCESS_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = i8[a]!;
        break;
      }
      case Op.LBU: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a >>> 0) >= ramSize) { cause = CAUSE.LOAD_ACCESS_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = u8[a]!;
        break;
      }
      case Op.LH: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a & 1) !== 0) { cause = CAUSE.LOAD_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = CAUSE.LOAD_ACCESS_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = i16[a >> 1]!;
        break;
      }
      case Op.LHU: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a & 1) !== 0) { cause = CAUSE.LOAD_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = CAUSE.LOAD_ACCESS_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = u16[a >> 1]!;
        break;
      }
      case Op.LW: {
        const a = (regs[(w >> 15) & 31]! + (w >> 20)) ^ SIGN;
        if ((a & 3) !== 0) { cause = CAUSE.LOAD_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = CAUSE.LOAD_ACCESS_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        regs[(w >> 7) & 31] = m32[a >> 2]!;
        break;
      }
      case Op.SB: {
        const a = (regs[(w >> 15) & 31]! + (((w >> 25) << 5) | ((w >>> 7) & 31))) ^ SIGN;
        if ((a >>> 0) >= ramSize) { cause = CAUSE.STORE_ACCESS_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        u8[a] = regs[(w >> 20) & 31]!;
        dirty[a >>> 12] = 1;
        break;
      }
      case Op.SH: {
        const a = (regs[(w >> 15) & 31]! + (((w >> 25) << 5) | ((w >>> 7) & 31))) ^ SIGN;
        if ((a & 1) !== 0) { cause = CAUSE.STORE_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = CAUSE.STORE_ACCESS_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        u16[a >> 1] = regs[(w >> 20) & 31]!;
        dirty[a >>> 12] = 1;
        break;
      }
      case Op.SW: {
        const a = (regs[(w >> 15) & 31]! + (((w >> 25) << 5) | ((w >>> 7) & 31))) ^ SIGN;
        if ((a & 3) !== 0) { cause = CAUSE.STORE_MISALIGNED; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        if ((a >>> 0) >= ramSize) { cause = CAUSE.STORE_ACCESS_FAULT; tval = a ^ SIGN; stop = S_EXCEPTION; break loop; }
        m32[a >> 2] = regs[(w >> 20) & 31]!;
        dirty[a >>> 12] = 1;
        break;
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
      case Op.MULH: regs[(w >> 7) & 31] = mulh(regs[(w >> 15) & 31]!, regs[(w >> 20) & 31]!); break;
      case Op.MULHSU: regs[(w >> 7) & 31] = mulhsu(regs[(w >> 15) & 31]!, regs[(w >> 20) & 31]!); break;
      case Op.MULHU: regs[(w >> 7) & 31] = mulhu(regs[(w >> 15) & 31]!, regs[(w >> 20) & 31]!); break;
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
          trap.v2 = (trap.v2 | (1 << TRAP_CLASS.OVF)) >>> 0;
          if (trapAt < 0) { trapAt = n + belowState(trap.rng, trap.maxDelay + 1); if (trapAt < limit) limit = trapAt; }
        }
        break;
      }
      case Op.SUBV: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]!, rd = (w >> 7) & 31;
        const r = a - b;
        regs[rd] = r;
        if (r !== (r | 0)) {
          trap.v1 = (trap.v1 | (1 << rd)) >>> 0;
          trap.v2 = (trap.v2 | (1 << TRAP_CLASS.OVF)) >>> 0;
          if (trapAt < 0) { trapAt = n + belowState(trap.rng, trap.maxDelay + 1); if (trapAt < limit) limit = trapAt; }
        }
        break;
      }
      case Op.MULV: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]!, rd = (w >> 7) & 31;
        const p = a * b; // exact whenever it fits 32 bits; never rounds back into range when it does not
        regs[rd] = Math.imul(a, b);
        if (p !== (p | 0)) {
          trap.v1 = (trap.v1 | (1 << rd)) >>> 0;
          trap.v2 = (trap.v2 | (1 << TRAP_CLASS.OVF)) >>> 0;
          if (trapAt < 0) { trapAt = n + belowState(trap.rng, trap.maxDelay + 1); if (trapAt < limit) limit = trapAt; }
        }
        break;
      }
      case Op.DIVV: {
        const a = regs[(w >> 15) & 31]!, b = regs[(w >> 20) & 31]!, rd = (w >> 7) & 31;
        let cls = -1;
        if (b === 0) { regs[rd] = -1; cls = TRAP_CLASS.DIVZ; }
        else if (a === INT_MIN && b === -1) { regs[rd] = INT_MIN; cls = TRAP_CLASS.OVF; }
        else regs[rd] = (a / b) | 0;
        if (cls >= 0) {
          trap.v1 = (trap.v1 | (1 << rd)) >>> 0;
          trap.v2 = (trap.v2 | (1 << cls)) >>> 0;
          if (trapAt < 0) { trapAt = n + belowState(trap.rng, trap.maxDelay + 1); if (trapAt < limit) limit = trapAt; }
        }
        break;
      }
      case Op.SENSITIVE:
        n--;
        sword = w;
        stop = S_SENSITIVE;
        break loop;
      case Op.SLOW: {
        const row = decodeRow(w >>> 0);
        if (row === undefined) { cause = CAUSE.ILLEGAL_INSTRUCTION; tval = w; stop = S_EXCEPTION; break loop; }
        if (row.sensitive === true || (row.sensitive === 'drain-priv' && s.drainPriv === 1)) { n--; sword = w; stop = S_SENSITIVE; break loop; }
        if (row.sensitive === 'drain-priv') { stop = S_DRAIN; break loop; }
        break; // fence: a no-op on this machine
      }
      default:
        cause = CAUSE.ILLEGAL_INSTRUCTION;
        tval = w;
        stop = S_EXCEPTION;
        break loop;
    }
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
