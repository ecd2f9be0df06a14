/**
 * The names the generated code refers to (the interpreter's loop, interp.ts, and translated blocks,
 * translate.ts): the interpreter's operation numbers and key table, RAM views, exception causes, stops,
 * and the helpers of alu.ts. Generated code imports nothing: these are bound to it by name (LOOP_GLOBALS).
 */
import { CAUSE, TRAP_CLASS } from '../../isa/csrs.js';
import { SLOW_PATH } from '../../isa/semantics.js';
import type { InstructionRow } from '../../isa/instructions.js';
import { buildKeyTable, type OpNumbering } from './dispatch.js';
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from './alu.js';
import { belowState } from '../base/random.js';
import { decodeRow } from '../../isa/decode.js';
import type { Stop } from './types.js';

/** The interpreter's operations: the dispatch outcomes, then one per row (OP_ROW + row id). */
export const OP_ILLEGAL = 0;
export const OP_SENSITIVE = 1;
export const OP_SLOW = 2;
export const OP_ROW = 3;

const SLOW_ROWS: ReadonlySet<string> = new Set(SLOW_PATH);

export const OPS: OpNumbering = {
  opOf(row: InstructionRow): number {
    if (row.sensitive === true) return OP_SENSITIVE;
    if (SLOW_ROWS.has(row.mnemonic)) return OP_SLOW;
    return OP_ROW + row.id;
  },
  illegal: OP_ILLEGAL,
  slow: OP_SLOW,
};

/** Key -> Op. */
export const KEY_TABLE: Uint8Array = buildKeyTable(OPS);
/** RAM_BASE as an int32: xor with it turns an address into a RAM offset and back. */
export const SIGN = -2147483648;

/** Exception causes of instruction fetch and jumps (RISC-V standard), from isa/csrs.ts. */
export const FETCH_CAUSE = { MISALIGNED: CAUSE.INSTRUCTION_MISALIGNED, ACCESS_FAULT: CAUSE.INSTRUCTION_ACCESS_FAULT } as const;

export const STOP_BUDGET: Stop = Object.freeze({ kind: 'budget' });
export const STOP_RR: Stop = Object.freeze({ kind: 'rr' });
export const STOP_TRAPS_DELAY: Stop = Object.freeze({ kind: 'traps', forced: 'delay' });
export const STOP_TRAPS_DRAIN: Stop = Object.freeze({ kind: 'traps', forced: 'drain' });
export const STOP_BREAK: Stop = Object.freeze({ kind: 'break' });

/** Internal stop codes of generated code, bound to it by these names. */
const STOP_CODES = { S_NONE: 0, S_EXCEPTION: 1, S_SENSITIVE: 2, S_DRAIN: 3, S_BREAK: 4 } as const;

/** Typed-array views over one processor's RAM, and its map of translated pages (derived caches, not state). */
export interface RamViews {
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly m32: Int32Array;
  /**
   * The translated-code map: one byte per CODE_LINE bytes of RAM, 0 = no translated code, 1 = translated
   * code, 2 = translated code since written; its last byte (at CODE_FLAG) is 1 when some line became 2.
   */
  readonly code: Uint8Array;
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
    code: new Uint8Array(Math.ceil(n / CODE_LINE) + 1),
  };
}

/** Bytes of RAM per byte of the translated-code map (a store elsewhere in a page leaves its blocks alone). */
export const CODE_LINE = 64;
export const CODE_SHIFT = 6;

/** Marks the translated code in RAM offsets [from, to] as written (device writes, loads). */
export function codeWritten(code: Uint8Array, from: number, to: number): void {
  const flag = code.length - 1;
  for (let l = from >>> CODE_SHIFT; l <= to >>> CODE_SHIFT && l < flag; l++) {
    if (code[l] === 1) {
      code[l] = 2;
      code[flag] = 1;
    }
  }
}

/**
 * Where a slice must stop: the budget, the recovery register's zero, or a pending deferred trap's delivery
 * point, whichever comes first. The interpreter's loop and the block runner both use it, so the recovery
 * register is exact on either engine.
 */
export function stopLimit(budget: number, rr: number, trapAt: number): number {
  let limit = budget | 0;
  if (rr > 0 && rr < limit) limit = rr | 0;
  if (trapAt >= 0 && trapAt < limit) limit = trapAt;
  return limit;
}

/** Every module-level name generated code may use, by name. */
export const LOOP_GLOBALS = (): Record<string, unknown> => ({
  KEY: KEY_TABLE,
  SIGN,
  INT_MIN: -2147483648,
  C_ILLEGAL: CAUSE.ILLEGAL_INSTRUCTION,
  C_LOAD_MISALIGNED: CAUSE.LOAD_MISALIGNED,
  C_LOAD_FAULT: CAUSE.LOAD_ACCESS_FAULT,
  C_STORE_MISALIGNED: CAUSE.STORE_MISALIGNED,
  C_STORE_FAULT: CAUSE.STORE_ACCESS_FAULT,
  C_FETCH_MISALIGNED: FETCH_CAUSE.MISALIGNED,
  C_FETCH_FAULT: FETCH_CAUSE.ACCESS_FAULT,
  OVF: TRAP_CLASS.OVF,
  DIVZ: TRAP_CLASS.DIVZ,
  mulh,
  mulhsu,
  mulhu,
  div,
  divu,
  rem,
  remu,
  stopLimit,
  drawBelow: belowState,
  decodeWord: decodeRow,
  ...STOP_CODES,
  CODE_SHIFT,
  STOP_BUDGET,
  STOP_RR,
  STOP_TRAPS_DELAY,
  STOP_TRAPS_DRAIN,
  STOP_BREAK,
});
