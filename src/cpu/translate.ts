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
 * the RAM offset of the next instruction. A block that branches back to its own start runs again while K
 * more fit into `left`. It reports through the shared Int32Array `ex`: ex[0] the instructions it counted; on a precise
 * exception ex[1] = 1, ex[2] the cause, ex[3] tval (and it returns the faulting instruction's offset); ex[4]
 * = 1 when the trap unit recorded a trap (the caller starts its delay). A store to a line of translated
 * code marks it in RamViews.code and returns right after the store (the caller drops that page's blocks).
 */
import { decodeRow } from '../../isa/decode.js';
import { IMM_OF_FORMAT } from '../../isa/semantics.js';
import type { InstructionRow } from '../../isa/instructions.js';
import { expand, reads, templateOf, type Expansion } from './expand.js';
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

/** The JavaScript of instruction number i (0-based) of a block starting at po0, at offset po. */
function instructionText(row: InstructionRow, w: number, po: number, i: number, po0: number, k: number): string {
  const t = templateOf(row);
  const rd = (w >>> 7) & 31;
  const pc = po ^ -2147483648;
  const done = `c + ${i + 1}`;
  const fault = (cause: string, tval: string): string => `{ ex[0] = ${done}; ex[1] = 1; ex[2] = ${cause}; ex[3] = ${tval}; return ${po}; }`;
  const exit = (to: number): string =>
    to === po0
      ? `c += ${i + 1}; if (c + ${k} <= left) continue blk; ex[0] = c; return ${po0};`
      : `ex[0] = ${done}; return ${to};`;
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
        return setLink + exit(to ^ -2147483648);
      }
      return `const tg = (${target}) | 0; if ((tg & 2) !== 0) ${fault('C_FETCH_MISALIGNED', 'tg')} ${setLink} ex[0] = ${done}; return tg ^ SIGN;`;
    },
    load: (view, addr) => `${access(view, addr, 'LOAD', fault)} ${x.set(element(view, 'ad'))}`,
    store: (view, addr, v) =>
      `${access(view, addr, 'STORE', fault)} ${element(view, 'ad')} = ${v}; dirty[ad >>> 12] = 1; ` +
      `if (code[ad >>> CODE_SHIFT] !== 0) { code[ad >>> CODE_SHIFT] = 2; code[code.length - 1] = 1; ex[0] = ${done}; return ${po + 4}; }`,
    defer: (cls) => `trap.v1 = (trap.v1 | ${(1 << rd) >>> 0}) >>> 0; trap.v2 = (trap.v2 | (1 << ${cls})) >>> 0; ex[4] = 1;`,
  };
  const hoist = [reads(t, 'RS1') ? `x1 = ${reg((w >>> 15) & 31)}` : '', reads(t, 'RS2') ? `x2 = ${reg((w >>> 20) & 31)}` : ''].filter(Boolean);
  return `{ /* ${row.mnemonic} */ ${hoist.length > 0 ? `const ${hoist.join(', ')};` : ''} ${expand(t, x)} }`;
}

const ARRAYS = ['regs', 'm32', 'u8', 'i8', 'u16', 'i16', 'dirty', 'code', 'trap', 'ex'];

/** The block's source text (for tests and for reading), or undefined when it holds no instruction. */
export function blockText(m32: Int32Array, po0: number): { k: number; text: string } | undefined {
  const rows: Array<{ row: InstructionRow; w: number }> = [];
  const pageEnd = (po0 | 4095) + 1;
  for (let po = po0; po < pageEnd && rows.length < MAX_BLOCK; po += 4) {
    const w = m32[po >> 2]!;
    const row = blockRow(w);
    if (row === undefined) break;
    rows.push({ row, w });
    if (ENDS_BLOCK(row)) break;
  }
  const k = rows.length;
  if (k === 0) return undefined;
  const last = rows[k - 1]!.row;
  const body = rows.map(({ row, w }, i) => instructionText(row, w, po0 + 4 * i, i, po0, k));
  const fallThrough = po0 + 4 * k;
  // jal and jalr always leave through their own return; everything else may fall through.
  const tail = last.format === 'J' || last.mnemonic === 'jalr' ? '' : `ex[0] = c + ${k}; return ${fallThrough};`;
  return { k, text: `function block(left) {\n  const ramSize = ${m32.length * 4};\n  let c = 0;\n  blk: for (;;) {\n    ${body.join('\n    ')}\n    ${tail}\n  }\n}` };
}

/** Compiles a block's text for one processor (its arrays are bound into the function). */
export function compileBlock(text: string, regs: Int32Array, v: RamViews, dirty: Uint8Array, trap: unknown, ex: Int32Array): BlockFn {
  const globals = LOOP_GLOBALS();
  const make = new Function(...Object.keys(globals), ...ARRAYS, `'use strict';\nreturn ${text};`);
  return make(...Object.values(globals), regs, v.m32, v.u8, v.i8, v.u16, v.i16, dirty, v.code, trap, ex) as BlockFn;
}
