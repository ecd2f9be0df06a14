/**
 * The interpreter, generated from the instruction templates (isa/semantics.ts) when this module loads.
 * Built for V8: registers in an Int32Array, aligned fetch from an Int32Array view of RAM, a switch on a
 * dense Op (literal case labels: a jump table), pc kept as an offset into RAM, counters in locals, and
 * every stop condition folded into one `limit` (min of the budget, the recovery register and the trap
 * unit's countdown), so the loop tests one number per instruction.
 *
 * `runSlice` is the loop every processor starts with. `specialise` compiles a private copy for one
 * processor whose typed arrays are bindings of its own closure: V8 folds them into the optimised code
 * (no map checks, length or base loads per instruction), about 1.5x faster. Both come from one text.
 *
 * Semantics are the RISC-V unprivileged spec's; precise exceptions leave pc at the instruction (which
 * counts), sensitive instructions stop the loop before they execute (not counted).
 */
import { INSTRUCTIONS, type InstructionRow } from '../../isa/instructions.js';
import { IMM_OF_FORMAT, VIEW_BYTES } from '../../isa/semantics.js';
import { expand, reads, templateOf, writesRd, type Expansion } from '../../isa/template.js';
import { LOOP_GLOBALS, OPS, OP_ROW, type RamViews } from './loop-env.js';
import type { CpuState, Stop } from './types.js';

export type LoopFn = (s: CpuState, v: RamViews, budget: number) => Stop;

const FAULT = (cause: string, tval: string): string => `{ cause = ${cause}; tval = ${tval}; stop = S_EXCEPTION; break loop; }`;

/** A RAM access at `addr` (an int32 address) through `view`: the checks, then `then(offset)`. */
export function access(view: string, addr: string, kind: 'LOAD' | 'STORE', fault: (c: string, v: string) => string): string {
  const bytes = VIEW_BYTES[view];
  if (bytes === undefined) throw new Error(`cpu: no RAM view '${view}'`);
  const align = bytes > 1 ? `if ((ad & ${bytes - 1}) !== 0) ${fault(`C_${kind}_MISALIGNED`, 'ad ^ SIGN')}` : '';
  return `const ad = (${addr}) ^ SIGN; ${align} if ((ad >>> 0) >= ramSize) ${fault(`C_${kind}_FAULT`, 'ad ^ SIGN')}`;
}
export const element = (view: string, off: string): string => `${view}[${off} >> ${[0, 0, 1, 0, 2][VIEW_BYTES[view]!]}]`;

/** The interpreter's meaning of the template names: fields are taken from the word `w` at run time. */
const INTERP: Expansion = {
  rs1: 'x1',
  rs2: 'x2',
  imm: 'IMM',
  pc: '(po - 4) ^ SIGN',
  next: 'po ^ SIGN',
  set: (x) => `regs[(w >> 7) & 31] = ${x};`,
  jump: (t, link) =>
    `const tg = (${t}) | 0; if ((tg & 2) !== 0) ${FAULT('C_FETCH_MISALIGNED', 'tg')} ` +
    (link ? 'regs[(w >> 7) & 31] = po ^ SIGN; ' : '') +
    'po = tg ^ SIGN;',
  load: (view, addr) => `${access(view, addr, 'LOAD', FAULT)} regs[(w >> 7) & 31] = ${element(view, 'ad')};`,
  store: (view, addr, x) =>
    `${access(view, addr, 'STORE', FAULT)} ${element(view, 'ad')} = ${x}; dirty[ad >>> 12] = 1; if (code[ad >>> CODE_SHIFT] === 1) { code[ad >>> CODE_SHIFT] = 2; code[codeFlag] = 1; }`,
  defer: (cls) =>
    `trap.v1 = (trap.v1 | (1 << ((w >> 7) & 31))) >>> 0; trap.v2 = (trap.v2 | (1 << ${cls})) >>> 0; ` +
    'if (trapAt < 0) { trapAt = n + drawBelow(trap.rng, trap.maxDelay + 1); if (trapAt < limit) limit = trapAt; }',
};

/** One case of the loop's switch. Instructions that may write rd `break` (to the x0 reset), others `continue`. */
function caseOf(row: InstructionRow): string {
  const t = templateOf(row);
  const hoist = [reads(t, 'RS1') ? 'x1 = regs[(w >> 15) & 31]' : '', reads(t, 'RS2') ? 'x2 = regs[(w >> 20) & 31]' : ''].filter(Boolean);
  const imm = IMM_OF_FORMAT[row.format];
  if (/\bIMM\b/.test(t) && imm === undefined) throw new Error(`cpu: template of '${row.mnemonic}' uses IMM, format ${row.format} has none`);
  const body = expand(t, { ...INTERP, imm: imm ?? 'IMM' });
  const decl = hoist.length > 0 ? `const ${hoist.join(', ')};` : '';
  return `case ${OP_ROW + row.id}: { /* ${row.mnemonic} */ ${decl} ${body} } ${writesRd(t) ? 'break' : 'continue'};`;
}

const ARRAYS = ['regs', 'm32', 'u8', 'i8', 'u16', 'i16', 'dirty', 'code'];

/**
 * The debugger's checks before each instruction: a watchpoint hit by the previous run (its stop was an epoch's
 * end or a trap delivery, which come first), a breakpoint, then a load or store into a watched range (kind 2
 * write, 3 read, 4 either; [kind, address, length] triples in `brk.watch`), which ends the loop after it.
 */
const BREAK_CHECKS = `
    if (brk.hitKind !== 0) { stop = S_BREAK; break; }
    if (bp[po >> 2] === 1 && n !== pastN) { stop = S_BREAK; break; }
    if (brk.wn !== 0) {
      const w0 = m32[po >> 2] | 0, op = w0 & 0x7f;
      if (op === 3 || op === 35) {
        const st = op === 35;
        const a = (regs[(w0 >> 15) & 31] + (st ? ((w0 >> 25) << 5) | ((w0 >> 7) & 31) : w0 >> 20)) >>> 0;
        const e = a + (1 << ((w0 >> 12) & 3)), wl = brk.watch;
        for (let k = 0; k < brk.wn * 3; k += 3) {
          const kind = wl[k], lo = a > wl[k + 1] ? a : wl[k + 1], hi = wl[k + 1] + wl[k + 2];
          if ((kind === 2 && !st) || (kind === 3 && st) || lo >= (e < hi ? e : hi)) continue;
          brk.hitKind = kind; brk.hitAddr = lo;
          if (limit > n + 1) limit = n + 1;
          break;
        }
      }
    }`;

/**
 * The loop's text; `bound`: the arrays are bindings of the enclosing closure instead of read from s and v.
 * `breaks`: a debugger's variant that also stops before an instruction whose word is marked in `bp` (one byte
 * a word of RAM), except at instret `brk.past` (the breakpoint gdb resumes from); it is never the shared loop.
 */
export function loopText(bound: boolean, breaks = false): string {
  const cases = INSTRUCTIONS.filter((row) => OPS.opOf(row) >= OP_ROW).map(caseOf);
  return `function runSlice(s, v, budget) {
  ${bound ? '' : 'const regs = s.regs, m32 = v.m32, u8 = v.u8, i8 = v.i8, u16 = v.u16, i16 = v.i16, dirty = s.dirty, code = v.code;'}
  const ramSize = u8.length;
  const codeFlag = code.length - 1;
  const trap = s.trap;
  const rr = s.rr;
  let po = (s.pc ^ SIGN) | 0;
  let n = 0;
  let trapAt = trap.countdown | 0;
  let limit = stopLimit(budget, rr, trapAt);
  let stop = S_NONE, cause = 0, tval = 0, sword = 0;
  ${breaks ? 'const pastN = brk.past - s.instret;' : ''}
  if ((po & 3) !== 0 && limit > 0) { n = 1; po += 4; stop = S_EXCEPTION; cause = C_FETCH_MISALIGNED; tval = s.pc; limit = 0; }
  loop: while (n < limit) {
    ${breaks ? BREAK_CHECKS : ''}
    if ((po >>> 0) >= ramSize) { n++; cause = C_FETCH_FAULT; tval = po ^ SIGN; po += 4; stop = S_EXCEPTION; break; }
    const w = m32[po >> 2];
    n++;
    po += 4;
    switch (KEY[(w & 0x7f) | ((w >>> 5) & 0x380) | ((w >>> 15) & 0x1fc00)]) {
      ${cases.join('\n      ')}
      case ${OPS.slow}: {
        const row = decodeWord(w >>> 0);
        if (row === undefined) { cause = C_ILLEGAL; tval = w; stop = S_EXCEPTION; break loop; }
        if (row.sensitive === true || (row.sensitive === 'drain-priv' && s.drainPriv === 1)) { n--; sword = w; stop = S_SENSITIVE; break loop; }
        if (row.sensitive === 'drain-priv') { stop = S_DRAIN; break loop; }
        continue;
      }
      case ${OPS.illegal}: cause = C_ILLEGAL; tval = w; stop = S_EXCEPTION; break loop;
      default: n--; sword = w; stop = S_SENSITIVE; break loop;
    }
    regs[0] = 0;
  }
  regs[0] = 0;
  if (stop === S_EXCEPTION || stop === S_SENSITIVE) po -= 4;
  s.pc = (po ^ SIGN) >>> 0;
  s.instret += n;
  if (rr > 0) s.rr = rr - n;
  trap.countdown = trapAt < 0 ? -1 : trapAt - n;
  ${breaks ? 'if (stop === S_EXCEPTION) brk.hitKind = 0;' : ''}
  switch (stop) {
    case S_EXCEPTION: return { kind: 'exception', cause, tval: tval >>> 0 };
    case S_SENSITIVE: return { kind: 'sensitive', word: sword >>> 0 };
    case S_DRAIN: return STOP_TRAPS_DRAIN;
    case S_BREAK: return STOP_BREAK;
  }
  if (rr > 0 && s.rr === 0) return STOP_RR;
  if (trapAt >= 0 && trapAt === n) return STOP_TRAPS_DELAY;
  ${breaks ? 'if (brk.hitKind !== 0) return STOP_BREAK;' : ''}
  return STOP_BUDGET;
}`;
}

function compile(bound: boolean, arrays: unknown[], breaks?: BreakSet): LoopFn {
  const globals = LOOP_GLOBALS();
  const extra = breaks ? { bp: breaks.words, brk: breaks } : {};
  const make = new Function(
    ...Object.keys(globals),
    ...Object.keys(extra),
    ...(bound ? ARRAYS : []),
    `'use strict';\nreturn ${loopText(bound, breaks !== undefined)};`,
  );
  return make(...Object.values(globals), ...Object.values(extra), ...arrays) as LoopFn;
}

/** A debugger's breakpoints over one processor's RAM: one byte a word (1: stop before it). */
export interface BreakSet {
  readonly words: Uint8Array;
  /** The indexes of `words` that are set (cleared one by one: the array is as large as RAM / 4). */
  readonly marked: number[];
  /** The instret at which the breakpoint at pc is passed over (gdb resuming from a breakpoint). */
  past: number;
  /** Watchpoints: [kind (2 write, 3 read, 4 access), address, length] triples, `wn` of them. */
  watch: number[];
  wn: number;
  /** The watchpoint the last access hit (0: none), and the first address of the hit. */
  hitKind: number;
  hitAddr: number;
}

const breakLoops = new Map<number, { readonly breaks: BreakSet; readonly run: LoopFn }>();

/**
 * The interpreter with breakpoints (loopText's `breaks`) for a RAM of `ramBytes`, and its break set. One per
 * RAM size, kept: a debugger arms one processor at a time, and a loop compiled once stays warm in V8.
 */
export function breakLoop(ramBytes: number): { readonly breaks: BreakSet; readonly run: LoopFn } {
  let b = breakLoops.get(ramBytes);
  if (b === undefined) {
    const breaks: BreakSet = {
      words: new Uint8Array(Math.ceil(ramBytes / 4)),
      marked: [],
      past: -1,
      watch: [],
      wn: 0,
      hitKind: 0,
      hitAddr: 0,
    };
    b = { breaks, run: compile(false, [], breaks) };
    breakLoops.set(ramBytes, b);
  }
  return b;
}

/**
 * Runs at most `budget` (<= 2^30) instructions. Stops, in this order of precedence when several coincide:
 * a precise exception (counted; pc at it) / a sensitive instruction (not counted; pc at it) / a drain with
 * Drain_Priv 0 (counted), then the recovery register reaching 0, then the trap unit's countdown reaching 0,
 * then the budget. Whatever the stop, `state.rr === 0` afterwards (with rr armed before) means the
 * recovery register expired with the last instruction counted.
 */
export const runSlice: LoopFn = compile(false, []);

/** A loop bound to one processor's register file, RAM and dirty map. */
export interface SpecialisedLoop {
  readonly regs: Int32Array;
  readonly ram: Uint8Array;
  readonly dirty: Uint8Array;
  readonly run: LoopFn;
}

export function specialise(s: CpuState, v: RamViews): SpecialisedLoop {
  const run = compile(true, [s.regs, v.m32, v.u8, v.i8, v.u16, v.i16, s.dirty, v.code]);
  return { regs: s.regs, ram: s.ram, dirty: s.dirty, run };
}
