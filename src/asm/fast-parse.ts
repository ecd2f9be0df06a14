/**
 * A fast path in front of the grammar, for the line shapes that make up nearly all of gcc's output
 * and of hand-written code: labels, then an instruction whose operands are registers, symbols,
 * numbers, `off(reg)`, `(reg)`, `%fn(sym)` and `%fn(sym)(reg)`, or a directive whose arguments are
 * symbols, numbers, strings, `@type` and `.-sym`, or `.insn FORMAT` with such operands. It returns exactly the statements that
 * isa/asm.ohm and parse.ts's semantics give for such a line (test/asm/fast-parse.test.ts checks this
 * on every line of the corpus and of gcc's output), and undefined for anything else, which then goes
 * to the grammar. The grammar stays the definition of the language.
 *
 * Input is the compacted line (parse.ts's compact()): no comments, single blanks only between tokens.
 */
import type { DirArg, Expr, Imm, Label, Operand, RelocFn, Statement } from './ast.js';
import { decodeString } from './strings.js';

const SYMBOL = /^[A-Za-z_.$][\w.$]*$/;
const DEC = /^-?(?:0|[1-9]\d{0,17})$/;
const HEX = /^-?0[xX][0-9a-fA-F]{1,16}$/;
const LOCAL = /^\d{1,9}[bf]$/;
const MNEMONIC = /^[A-Za-z][A-Za-z0-9._]*$/;
const LABELS = /^(?:(?:[A-Za-z_.$][\w.$]*|\d+):)+/;
const RELOC =
  /^%(pcrel_hi|pcrel_lo|hi|lo)\(([A-Za-z_.$][\w.$]*(?:[+-](?:0|[1-9]\d{0,17}|0[xX][0-9a-fA-F]{1,16}))?)\)(?:\(([A-Za-z_.$][\w.$]*)\))?$/;
const MEM = /^(-?(?:0|[1-9]\d{0,17})|-?0[xX][0-9a-fA-F]{1,16}|[A-Za-z_.$][\w.$]*)?\(([A-Za-z_.$][\w.$]*)\)$/;

/** A number literal's value, as parse.ts reads it (64-bit, 0x8000... and up negative). */
function number(text: string): bigint {
  const neg = text.startsWith('-');
  const v = BigInt.asIntN(64, BigInt(neg ? text.slice(1) : text));
  return neg ? -v : v;
}

/**
 * `col(i)` maps an index of the compacted text to a 1-based column of the original line. Returns
 * undefined when the line is not of a shape handled here.
 */
export function fastParse(text: string, col: (i: number) => number): Statement[] | undefined {
  if (!plain(text)) return undefined;
  let at = 0;
  const labels: Label[] = [];
  const lm = LABELS.exec(text);
  if (lm) {
    for (const name of lm[0].split(':')) {
      if (name === '') continue;
      labels.push({ name, col: col(at) });
      at += name.length + 1;
    }
  }
  if (at === text.length) return [{ labels, body: undefined }];
  const rest = text.slice(at);
  // The name runs as far as name characters go (`.word-1` is `.word` and `-1`, as in the grammar).
  const directive = rest.startsWith('.');
  const nm = (directive ? /^[\w.$]+/ : /^[A-Za-z0-9._]+/).exec(rest);
  if (!nm) return undefined;
  const head = nm[0];
  const sp = rest[head.length] === ' ' ? head.length + 1 : head.length;
  const argsAt = at + sp;
  const argText = rest.slice(sp);
  const end = col(text.length);
  if (head === '.insn') return insnDirective(text, at, sp, labels, col);
  if (head.startsWith('.')) {
    if (!/^\.[A-Za-z0-9][\w.$]*$/.test(head)) return undefined;
    const args = argText === '' ? [] : dirArgs(argText, argsAt, col);
    if (!args) return undefined;
    return [{ labels, body: { kind: 'dir', name: head, col: col(at), args, end } }];
  }
  if (!MNEMONIC.test(head)) return undefined;
  const ops = argText === '' ? [] : operands(argText, argsAt, col);
  if (!ops) return undefined;
  return [{ labels, body: { kind: 'insn', name: head, col: col(at), ops, end } }];
}

/** Index of the `"` that closes the string opened at `open`, or -1 when it is not closed. */
function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/**
 * No `;` (statements), `'` (characters) or `=` (assignments) outside strings, and every string closed
 * (inside strings, as in `.string "a;b"`, they are only characters).
 */
function plain(text: string): boolean {
  if (!text.includes('"')) return !text.includes(';') && !text.includes("'") && !text.includes('=');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (c === ';' || c === "'" || c === '=') return false;
  }
  return true;
}

/** `.insn FORMAT OPERANDS` (the keyword at `at`, the text after it and its blank at `at + sp`). */
function insnDirective(text: string, at: number, sp: number, labels: Label[], col: (i: number) => number): Statement[] | undefined {
  if (sp !== '.insn'.length + 1) return undefined;
  const formatAt = at + sp;
  const fm = /^[A-Za-z_.$][\w.$]*/.exec(text.slice(formatAt));
  if (!fm) return undefined;
  let opsAt = formatAt + fm[0].length;
  if (text[opsAt] === ' ') opsAt++;
  else if (opsAt < text.length) return undefined;
  const ops = opsAt === text.length ? [] : operands(text.slice(opsAt), opsAt, col);
  if (!ops) return undefined;
  return [{ labels, body: { kind: 'insnDir', format: fm[0], formatCol: col(formatAt), col: col(at), ops, end: col(text.length) } }];
}

/** Pieces of a list split at commas (no strings or parentheses with commas inside, checked by the callers' patterns). */
function pieces(text: string, from: number): { t: string; at: number }[] {
  const out: { t: string; at: number }[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === ',') {
      out.push({ t: text.slice(start, i), at: from + start });
      start = i + 1;
    }
  }
  return out;
}

const OFFSET = /^([A-Za-z_.$][\w.$]*)([+-])((?:0|[1-9]\d{0,17})|0[xX][0-9a-fA-F]{1,16})$/;

/** Character codes of `0`, `9` and `-`: numbers and local references start with a digit or `-`, symbols never do. */
const ZERO = 48;
const NINE = 57;
const MINUS = 45;

/** A symbol, a number, a local label reference, or `symbol+number` / `symbol-number`. */
function simple(t: string, at: number, col: (i: number) => number): Expr | undefined {
  // Only the patterns that can match the first character are tried (each needs the one it is tested for).
  const c = t.charCodeAt(0);
  if ((c >= ZERO && c <= NINE) || c === MINUS) {
    if (DEC.test(t) || HEX.test(t)) return { k: 'num', v: number(t) };
    if (LOCAL.test(t)) return { k: 'local', n: t.slice(0, -1), dir: t[t.length - 1] as 'b' | 'f', col: col(at) };
    return undefined;
  }
  if (SYMBOL.test(t)) return { k: 'sym', name: t, col: col(at) };
  const o = OFFSET.exec(t);
  if (o) {
    const opAt = at + o[1]!.length;
    return { k: 'bin', op: o[2]!, a: { k: 'sym', name: o[1]!, col: col(at) }, b: { k: 'num', v: number(o[3]!) }, col: col(opAt) };
  }
  return undefined;
}

function operands(text: string, from: number, col: (i: number) => number): Operand[] | undefined {
  if (text.includes('"') || text.includes(' ')) return undefined;
  const out: Operand[] = [];
  const list = pieces(text, from);
  for (let i = 0; i < list.length; i++) {
    const { t, at } = list[i]!;
    if (t === '') return undefined;
    const e = simple(t, at, col);
    if (e) {
      out.push({ kind: 'expr', e, col: col(at), text: t });
      continue;
    }
    if (!t.endsWith(')')) return undefined; // what RELOC and MEM below need
    const r = t.startsWith('%') ? RELOC.exec(t) : null;
    if (r) {
      const inner = r[2]!;
      const innerAt = at + 2 + r[1]!.length;
      const imm: Imm = {
        kind: 'reloc',
        fn: r[1] as RelocFn,
        e: simple(inner, innerAt, col)!,
        col: col(at),
        text: r[3] === undefined ? t : t.slice(0, t.length - r[3].length - 2),
      };
      if (r[3] === undefined) out.push(imm);
      else {
        const baseAt = at + t.length - r[3].length - 1;
        out.push({ kind: 'mem', off: imm, base: r[3], baseCol: col(baseAt), col: col(at), text: t });
      }
      continue;
    }
    const m = MEM.exec(t);
    if (m) {
      const baseAt = at + t.length - m[2]!.length - 1;
      if (m[1] === undefined) {
        out.push({ kind: 'mem', off: undefined, base: m[2]!, baseCol: col(baseAt), col: col(at), text: t });
      } else {
        const oe = simple(m[1], at, col)!;
        out.push({
          kind: 'mem',
          off: { kind: 'expr', e: oe, col: col(at), text: m[1] },
          base: m[2]!,
          baseCol: col(baseAt),
          col: col(at),
          text: t,
        });
      }
      continue;
    }
    return undefined;
  }
  return out;
}

/** Directive arguments split at commas outside strings; undefined when a string is not closed. */
function dirPieces(text: string, from: number): { t: string; at: number }[] | undefined {
  const out: { t: string; at: number }[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] === '"') {
      i = closingQuote(text, i);
      if (i < 0) return undefined;
    } else if (i === text.length || text[i] === ',') {
      out.push({ t: text.slice(start, i), at: from + start });
      start = i + 1;
    }
  }
  return out;
}

const STRING = /^"((?:[^"\\]|\\.)*)"$/;

function dirArgs(text: string, from: number, col: (i: number) => number): DirArg[] | undefined {
  const list = dirPieces(text, from);
  if (!list) return undefined;
  const out: DirArg[] = [];
  for (let i = 0; i < list.length; i++) {
    const { t, at } = list[i]!;
    if (t === '') return undefined;
    if (t.startsWith('"')) {
      const m = STRING.exec(t);
      if (!m) return undefined;
      out.push({ kind: 'string', bytes: decodeString(m[1]!), col: col(at) });
      continue;
    }
    if (t.includes(' ')) return undefined;
    if (t.startsWith('@') && SYMBOL.test(t.slice(1))) {
      out.push({ kind: 'type', name: t.slice(1), col: col(at + 1) });
      continue;
    }
    const e = simple(t, at, col);
    if (e) {
      out.push({ kind: 'expr', e, col: col(at) });
      continue;
    }
    const d = /^\.-([A-Za-z_.$][\w.$]*)$/.exec(t);
    if (!d) return undefined;
    out.push({
      kind: 'expr',
      e: { k: 'bin', op: '-', a: { k: 'sym', name: '.', col: col(at) }, b: { k: 'sym', name: d[1]!, col: col(at + 2) }, col: col(at + 1) },
      col: col(at),
    });
  }
  return out;
}
