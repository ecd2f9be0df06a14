/**
 * The block translator: compiles a basic block of guest code into one JavaScript function, from the same
 * templates as the interpreter (isa/semantics.ts), with every field of every word folded to a literal.
 *
 * A block starts at a RAM offset and runs through its last instruction: a jump, an Xshadow instruction
 * that may raise a deferred trap, or the one before an instruction blocks do not hold (a sensitive one,
 * `drain`, an illegal word) or before the end of the page or MAX_BLOCK instructions. A conditional branch
 * inside it leaves the block when taken (a side exit) and falls through to the next instruction otherwise.
 *
 * A block function `(left)` runs at most its K instructions (the caller guarantees left >= K) and returns
 * the RAM offset of the next instruction. It follows a jal to a target on its own page. A block that branches back to its own start runs again while K
 * more fit into `left`. It reports through the shared Int32Array `ex`: ex[0] the instructions it counted; on a precise
 * exception ex[1] = 1, ex[2] the cause, ex[3] tval (and it returns the faulting instruction's offset); ex[4]
 * = 1 when the trap unit recorded a trap (the caller starts its delay). A store to a line of translated
 * code marks it in RamViews.code and returns right after the store (the caller drops that page's blocks).
 */
import { decodeRow } from '../../isa/decode.js';
import { IMM_OF_FORMAT } from '../../isa/semantics.js';
import type { InstructionRow } from '../../isa/instructions.js';
import { expand, reads, templateOf, type Expansion } from '../../isa/template.js';
import { access, element } from './interp.js';
import { LOOP_GLOBALS, OPS, OP_ROW, type RamViews } from './loop-env.js';

/** Longest block, in instructions. */
export const MAX_BLOCK = 64;

export type BlockFn = (left: number) => number;

const immOf = new Map<string, (w: number) => number>();
/** The immediate of a word, from the same expression as the interpreter's. */
function immediate(format: string, w: number): number {
  let f = immOf.get(format);
  if (f === undefined) {
    const text = IMM_OF_FORMAT[format];
    if (text === undefined) throw new Error(`cpu: format ${format} has no immediate`);
    f = new Function('w', `return (${text}) | 0;`) as (w: number) => number;
    immOf.set(format, f);
  }
  return f(w);
}

/** The rows a block can hold, and which of them end it. */
function blockRow(w: number): InstructionRow | undefined {
  const row = decodeRow(w >>> 0);
  if (row === undefined || OPS.opOf(row) < OP_ROW) return row?.mnemonic === 'fence' ? row : undefined;
  return row;
}
/** Jumps and trap-raising instructions end a block; a conditional branch leaves it only when taken. */
const ENDS_BLOCK = (row: InstructionRow): boolean => row.format === 'J' || row.mnemonic === 'jalr' || row.group === 'Xshadow';

/**
 * The JavaScript of instruction number i (0-based) of a block starting at po0, at offset po. `counted`: the
 * block's variant that stops before any instruction once `left` have counted (see textOf).
 */
function instructionText({ row, w, po, follow }: Step, i: number, po0: number, k: number, counted: boolean): string {
  const t = templateOf(row);
  const rd = (w >>> 7) & 31;
  const pc = po ^ -2147483648;
  const done = `c + ${i + 1}`;
  const fault = (cause: string, tval: string): string => `{ ex[0] = ${done}; ex[1] = 1; ex[2] = ${cause}; ex[3] = ${tval}; return ${po}; }`;
  const back = counted ? `c += ${i + 1}; continue blk;` : `c += ${i + 1}; if (c + ${k} <= left) continue blk; ex[0] = c; return ${po0};`;
  const exit = (to: number): string => (to === po0 ? back : `ex[0] = ${done}; return ${to};`);
  const imm = IMM_OF_FORMAT[row.format] !== undefined ? immediate(row.format, w) : 0;
  const reg = (r: number): string => (r === 0 ? '0' : `regs[${r}]`);
  const x: Expansion = {
    rs1: 'x1',
    rs2: 'x2',
    imm: String(imm),
    pc: String(pc),
    next: String((pc + 4) | 0),
    set: (v) => (rd === 0 ? '' : `regs[${rd}] = ${v};`),
    jump: (target, link) => {
      const setLink = link && rd !== 0 ? `regs[${rd}] = ${(pc + 4) | 0}; ` : '';
      if (row.format === 'B' || row.format === 'J') {
        const to = (pc + imm) | 0;
        if ((to & 2) !== 0) return fault('C_FETCH_MISALIGNED', String(to));
        return follow ? setLink : setLink + exit(to ^ -2147483648);
      }
      return `const tg = (${target}) | 0; if ((tg & 2) !== 0) ${fault('C_FETCH_MISALIGNED', 'tg')} ${setLink} ex[0] = ${done}; return tg ^ SIGN;`;
    },
    load: (view, addr) => `${access(view, addr, 'LOAD', fault)} ${x.set(element(view, 'ad'))}`,
    store: (view, addr, v) =>
      `${access(view, addr, 'STORE', fault)} ${element(view, 'ad')} = ${v}; dirty[ad >>> 12] = 1; ` +
      `if (code[ad >>> CODE_SHIFT] !== 0) { code[ad >>> CODE_SHIFT] = 2; code[code.length - 1] = 1; ex[0] = ${done}; return ${po + 4}; }`,
    defer: (cls) => `trap.v1 = (trap.v1 | ${(1 << rd) >>> 0}) >>> 0; trap.v2 = (trap.v2 | (1 << ${cls})) >>> 0; ex[4] = 1;`,
  };
  const hoist = [reads(t, 'RS1') ? `x1 = ${reg((w >>> 15) & 31)}` : '', reads(t, 'RS2') ? `x2 = ${reg((w >>> 20) & 31)}` : ''].filter(
    Boolean,
  );
  const stop = counted ? `if (c + ${i} >= left) { ex[0] = c + ${i}; return ${po}; } ` : '';
  return `${stop}{ /* ${row.mnemonic} */ ${hoist.length > 0 ? `const ${hoist.join(', ')};` : ''} ${expand(t, x)} }`;
}

const ARRAYS = ['regs', 'm32', 'u8', 'i8', 'u16', 'i16', 'dirty', 'code', 'trap', 'ex'];

/** One instruction of a block: `follow` for a jal whose target the block continues at. */
interface Step {
  readonly row: InstructionRow;
  readonly w: number;
  readonly po: number;
  readonly follow: boolean;
}

/** The instructions of the block at po0: straight on, through not-taken branches and into jal targets on its page. */
function stepsOf(m32: Int32Array, po0: number): Step[] {
  const steps: Step[] = [];
  const seen = new Set<number>();
  let po = po0;
  while (steps.length < MAX_BLOCK && po >>> 12 === po0 >>> 12 && !seen.has(po)) {
    const w = m32[po >> 2]!;
    const row = blockRow(w);
    if (row === undefined) break;
    seen.add(po);
    if (row.format === 'J') {
      const to = (po + immediate('J', w)) | 0;
      const follow = (to & 3) === 0 && to >>> 12 === po0 >>> 12 && to !== po0 && !seen.has(to);
      steps.push({ row, w, po, follow });
      if (!follow) break;
      po = to;
      continue;
    }
    steps.push({ row, w, po, follow: false });
    if (ENDS_BLOCK(row)) break;
    po += 4;
  }
  return steps;
}

/** A translated block, ready to be bound to a processor's arrays. */
export interface Translation {
  /** Instructions on its longest path. */
  readonly k: number;
  /** The words it was made from, as [offset, word] pairs. */
  readonly src: Int32Array;
  readonly steps: readonly Step[];
  readonly text: string;
  readonly make: Factory;
  /** The counted variant's factory, compiled the first time a block must stop inside (see `counted`). */
  countedMake?: Factory;
}

/**
 * The block's source text (for tests and for reading), or undefined when it holds no instruction.
 * `counted`: the variant that runs any number `left` >= 1 of its instructions and stops exactly there.
 */
export function blockText(m32: Int32Array, po0: number, counted = false): string | undefined {
  return textOf(m32.length * 4, po0, stepsOf(m32, po0), counted);
}

/**
 * A block function's text. The plain variant runs only when all of its K instructions fit into `left`;
 * the counted variant tests `left` before every instruction and returns the offset of the first one it
 * did not run, so a slice whose stop falls inside a block (an epoch end, a deferred trap's delivery
 * point) still runs translated code up to the exact instruction.
 */
function textOf(ramSize: number, po0: number, steps: readonly Step[], counted: boolean): string | undefined {
  const k = steps.length;
  if (k === 0) return undefined;
  const last = steps[k - 1]!;
  const body = steps.map((step, i) => instructionText(step, i, po0, k, counted));
  // jal and jalr leave through their own return (a followed jal goes on); everything else may fall through.
  const tail =
    (last.row.format === 'J' && !last.follow) || last.row.mnemonic === 'jalr'
      ? ''
      : `ex[0] = c + ${k}; return ${last.follow ? (last.po + immediate('J', last.w)) | 0 : last.po + 4};`;
  return `function block(left) {\n  const ramSize = ${ramSize};\n  let c = 0;\n  blk: for (;;) {\n    ${body.join('\n    ')}\n    ${tail}\n  }\n}`;
}

/**
 * The block at RAM offset po0, or undefined when it holds no instruction. Translations are shared by
 * every processor of the process, by the words they are made from: a block that a computer has run before
 * (the same program at the same place, in a fuzzer's next case or a benchmark's next run) costs a
 * closure, not a compile, and V8's optimised code for it is shared too.
 */
export function translateAt(m32: Int32Array, po0: number): Translation | undefined {
  const steps = stepsOf(m32, po0);
  if (steps.length === 0) return undefined;
  const src = new Int32Array(2 * steps.length);
  steps.forEach((st, i) => {
    src[2 * i] = st.po;
    src[2 * i + 1] = st.w;
  });
  const key = `${m32.length}:${src.join(',')}`;
  let t = translations.get(key);
  if (t === undefined) {
    const text = textOf(m32.length * 4, po0, steps, false)!;
    const make = factory(text);
    if (translations.size >= MAX_KEPT) translations.clear();
    t = { k: steps.length, src, steps, text, make };
    translations.set(key, t);
  }
  return t;
}

const factory = (text: string): Factory => new Function(...GLOBAL_NAMES, ...ARRAYS, `'use strict';\nreturn ${text};`) as Factory;

/** Binds a translation to one processor's arrays; `counted`: its counted variant (compiled on first use). */
export function bind(
  t: Translation,
  regs: Int32Array,
  v: RamViews,
  dirty: Uint8Array,
  trap: unknown,
  ex: Int32Array,
  counted = false,
): BlockFn {
  let make = t.make;
  if (counted) {
    t.countedMake ??= factory(textOf(v.m32.length * 4, t.steps[0]!.po, t.steps, true)!);
    make = t.countedMake;
  }
  return make(...GLOBAL_VALUES, regs, v.m32, v.u8, v.i8, v.u16, v.i16, dirty, v.code, trap, ex);
}

type Factory = (...args: unknown[]) => BlockFn;
const translations = new Map<string, Translation>();
const MAX_KEPT = 50_000;
const GLOBALS = LOOP_GLOBALS();
const GLOBAL_NAMES = Object.keys(GLOBALS);
const GLOBAL_VALUES = Object.values(GLOBALS);
