/**
 * The parser: one source line -> statements, through isa/asm.ohm and one semantics operation
 * (`ast`). Syntax errors come back as located diagnostics; meaning is given by assemble.ts.
 */
import type * as ohm from 'ohm-js';
import type { Node } from 'ohm-js';
import { asmGrammar } from './grammar.js';
import { fastParse } from './fast-parse.js';
import { charValue, decodeString, unterminatedString } from './strings.js';
import type { Body, DirArg, Expr, Imm, Label, Operand, RelocFn, Statement } from './ast.js';

/** A problem at a column of the line being parsed. */
export class LineError extends Error {
  constructor(
    readonly col: number,
    message: string,
  ) {
    super(message);
  }
}

/** Original index of each character of the compacted line being parsed (see compact()). */
let origin: number[] = [];
let originLength = 0;
/** 1-based column in the original line of a compacted index. */
const colAt = (idx: number): number =>
  idx < origin.length ? origin[idx]! + 1 : origin.length ? origin[origin.length - 1]! + 2 : originLength + 1;
const col = (n: Node): number => colAt(n.source.startIdx);

const SPACE = /[ \t\r\f\v]/;
const TIGHT = new Set([...',()=;:+-*/%&|^~!<>']);

/**
 * The line without comments and with its spacing reduced to what separates tokens, plus the
 * original index of every character kept. Parsing this is much faster (ohm applies a rule per
 * character of space), and columns are mapped back, so messages are unchanged.
 */
export function compact(line: string): { text: string; map: number[] } {
  let text = '';
  const map: number[] = [];
  let pendingSpace = -1;
  const emit = (c: string, at: number): void => {
    if (pendingSpace >= 0 && text !== '' && !TIGHT.has(text[text.length - 1]!) && !TIGHT.has(c)) {
      text += ' ';
      map.push(pendingSpace);
    }
    pendingSpace = -1;
    text += c;
    map.push(at);
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      emit(c, i);
      for (i++; i < line.length; i++) {
        text += line[i];
        map.push(i);
        if (line[i] === '\\' && i + 1 < line.length) {
          text += line[++i];
          map.push(i);
        } else if (line[i] === '"') break;
      }
    } else if (c === "'") {
      emit(c, i);
      const n = line[i + 1] === '\\' ? 2 : 1;
      for (let k = 0; k < n && i + 1 < line.length; k++) {
        text += line[++i];
        map.push(i);
      }
      if (line[i + 1] === "'") {
        text += line[++i];
        map.push(i);
      }
    } else if (c === '#') break;
    else if (c === '/' && line[i + 1] === '*') {
      const end = line.indexOf('*/', i + 2);
      if (end < 0) {
        emit(c, i);
        continue;
      }
      if (pendingSpace < 0) pendingSpace = i;
      i = end + 1;
    } else if (SPACE.test(c)) {
      if (pendingSpace < 0) pendingSpace = i;
    } else emit(c, i);
  }
  return { text, map };
}

/**
 * A literal as GNU as reads it: a 64-bit value, so that 0x8000000000000000..0xffffffffffffffff are
 * the negative numbers they encode (`li a5, 0xffffffffffffffff` is `li a5, -1`).
 */
function parseNumber(text: string): bigint {
  const t = text.toLowerCase();
  let v: bigint;
  if (t.startsWith('0x') || t.startsWith('0b')) v = BigInt(t);
  else if (t.length > 1 && t.startsWith('0')) {
    if (!/^[0-7]+$/.test(t)) throw new Error(`bad octal number '${text}'`);
    v = BigInt('0o' + t.slice(1));
  } else v = BigInt(t);
  if (v >= 1n << 64n) throw new Error(`number '${text}' does not fit in 64 bits`);
  return BigInt.asIntN(64, v);
}

/** The grammar and its semantics, made on first use: a file that the fast path reads whole never compiles them. */
let compiled: { grammar: ohm.Grammar; semantics: ohm.Semantics } | undefined;
function ohmParser(): { grammar: ohm.Grammar; semantics: ohm.Semantics } {
  if (compiled) return compiled;
  const grammar = asmGrammar();
  const semantics = grammar.createSemantics();
  semantics.addOperation<unknown>('ast', ACTIONS);
  compiled = { grammar, semantics };
  return compiled;
}

const ACTIONS: ohm.ActionDict<unknown> = {
  line(first, _semis, rest): Statement[] {
    return [first['ast']() as Statement, ...rest.children.map((s) => s['ast']() as Statement)];
  },
  operands(first, _commas, rest): Operand[] {
    const head = first.children[0];
    if (!head) return [];
    return [head['ast']() as Operand, ...rest.children[0]!.children.map((o) => o['ast']() as Operand)];
  },
  statement(labels, body): Statement {
    return { labels: labels.children.map((l) => l['ast']() as Label), body: body.children[0]?.['ast']() as Body | undefined };
  },
  label(name, _colon): Label {
    return { name: name.sourceString, col: col(name) };
  },
  assignment(name, _eq, e): Body {
    return { kind: 'assign', name: name.sourceString, col: col(name), e: e['ast']() as Expr };
  },
  insnDirective(kw, _sp, format, _sp2, ops): Body {
    return {
      kind: 'insnDir',
      format: format.sourceString,
      formatCol: col(format),
      col: col(kw),
      ops: ops['ast']() as Operand[],
      end: colAt(this.source.endIdx),
    };
  },
  directive(name, _sp, first, _commas, rest): Body {
    const list = [first['ast']() as DirArg, ...rest.children.map((a) => a['ast']() as DirArg)];
    const all = list.length === 1 && list[0]!.kind === 'empty' ? [] : list;
    return { kind: 'dir', name: name.sourceString, col: col(name), args: all, end: colAt(this.source.endIdx) };
  },
  dirArg_string(s): DirArg {
    return { kind: 'string', bytes: s['ast']() as Uint8Array, col: col(s) };
  },
  dirArg_type(_at, name): DirArg {
    return { kind: 'type', name: name.sourceString, col: col(name) };
  },
  dirArg_expr(e): DirArg {
    return { kind: 'expr', e: e['ast']() as Expr, col: col(e) };
  },
  dirArg_empty(): DirArg {
    return { kind: 'empty', col: colAt(this.source.startIdx) };
  },
  instruction(m, _sp, ops): Body {
    return {
      kind: 'insn',
      name: m.sourceString,
      col: col(m),
      ops: ops['ast']() as Operand[],
      end: colAt(this.source.endIdx),
    };
  },
  operand_memBase(_l, base, _r): Operand {
    return { kind: 'mem', off: undefined, base: base.sourceString, baseCol: col(base), col: col(this), text: this.sourceString };
  },
  operand_offset(off, _l, base, _r): Operand {
    const imm = off['ast']() as Imm;
    const b = base.children[0];
    if (!b) return imm;
    return { kind: 'mem', off: imm, base: b.sourceString, baseCol: col(b), col: col(off), text: this.sourceString };
  },
  offsetExpr(e): Imm {
    if (e.ctorName === 'reloc') return e['ast']() as Imm;
    return { kind: 'expr', e: e['ast']() as Expr, col: col(e), text: e.sourceString };
  },
  reloc(_pct, fn, _l, e, _r): Imm {
    return { kind: 'reloc', fn: fn.sourceString as RelocFn, e: e['ast']() as Expr, col: col(this), text: this.sourceString };
  },
  expr(first, ops, rest): Expr {
    const operands = [first['ast']() as Expr, ...rest.children.map((r) => r['ast']() as Expr)];
    const operators = ops.children.map((o) => ({ op: o.sourceString, col: col(o) }));
    return precedence(operands, operators);
  },
  unary_op(op, a): Expr {
    const e = a['ast']() as Expr;
    if (op.sourceString === '+') return e;
    if (op.sourceString === '-' && e.k === 'num') return { k: 'num', v: -e.v };
    return { k: 'un', op: op.sourceString, a: e };
  },
  primary_paren(_l, e, _r): Expr {
    return e['ast']() as Expr;
  },
  number(_n): Expr {
    try {
      return { k: 'num', v: parseNumber(this.sourceString) };
    } catch (err) {
      throw new LineError(col(this), (err as Error).message);
    }
  },
  charLit(_q, body, _q2): Expr {
    return { k: 'num', v: BigInt(charValue(body.sourceString)) };
  },
  localRef(digits, dir): Expr {
    return { k: 'local', n: digits.sourceString, dir: dir.sourceString as 'b' | 'f', col: col(this) };
  },
  symbol(_a, _b): Expr {
    return { k: 'sym', name: this.sourceString, col: col(this) };
  },
  string(_l, chars, _r): Uint8Array {
    return decodeString(chars.sourceString);
  },
};

/** GNU as's binary operator ranks (higher binds tighter); all are left-associative. */
const RANK: Readonly<Record<string, number>> = {
  '*': 5,
  '/': 5,
  '%': 5,
  '<<': 5,
  '>>': 5,
  '|': 4,
  '&': 4,
  '^': 4,
  '!': 4,
  '+': 3,
  '-': 3,
  '==': 2,
  '!=': 2,
  '<>': 2,
  '<': 2,
  '>': 2,
  '<=': 2,
  '>=': 2,
  '&&': 1,
  '||': 0,
};

/** Builds the tree of `a op b op c ...` by precedence climbing. */
function precedence(operands: Expr[], operators: { op: string; col: number }[]): Expr {
  let i = 0;
  const climb = (lhs: Expr, min: number): Expr => {
    while (i < operators.length && RANK[operators[i]!.op]! >= min) {
      const { op, col } = operators[i]!;
      let rhs = operands[++i]!;
      while (i < operators.length && RANK[operators[i]!.op]! > RANK[op]!) rhs = climb(rhs, RANK[op]! + 1);
      lhs = { k: 'bin', op, a: lhs, b: rhs, col };
    }
    return lhs;
  };
  return climb(operands[0]!, 0);
}

/** Parses one line (without its newline). Throws LineError on a syntax error, and on nesting too deep for the parser's stack. */
export function parseLine(line: string): Statement[] {
  try {
    return parseLineUnguarded(line);
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw new LineError(1, 'expression nested too deeply');
    throw err;
  }
}

function parseLineUnguarded(line: string): Statement[] {
  const { text, map } = compact(line);
  origin = map;
  originLength = line.length;
  return fastParse(text, colAt) ?? grammarParse(line, text);
}

/** The fast path's statements for a line, or undefined when it leaves the line to the grammar (for tests). */
export function parseLineFast(line: string): Statement[] | undefined {
  const { text, map } = compact(line);
  origin = map;
  originLength = line.length;
  return fastParse(text, colAt);
}

/** Parses one line with the grammar only (no fast path). */
export function parseLineWithGrammar(line: string): Statement[] {
  const { text, map } = compact(line);
  origin = map;
  originLength = line.length;
  return grammarParse(line, text);
}

function grammarParse(line: string, text: string): Statement[] {
  const { grammar, semantics } = ohmParser();
  const m = grammar.match(text, 'line');
  if (m.failed()) {
    const open = unterminatedString(line);
    if (open !== undefined) throw new LineError(open, 'unterminated string');
    const bad = badOperand(line);
    if (bad) throw bad;
    const pos = colAt(m.getRightmostFailurePosition()) - 1;
    throw new LineError(pos + 1, syntaxMessage(line, pos, m.getExpectedText()));
  }
  return semantics(m)['ast']() as Statement[];
}

/** Top-level pieces of `text` split at `sep` (outside parentheses, strings and characters), with their offsets. */
function split(text: string, sep: string, from: number): { text: string; at: number }[] {
  const parts: { text: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (c === "'") i += text[i + 1] === '\\' ? 2 : 1;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth <= 0) {
      parts.push({ text: text.slice(start, i), at: from + start });
      start = i + 1;
    }
  }
  parts.push({ text: text.slice(start), at: from + start });
  return parts;
}

/** A more precise message than the grammar's for an operand that does not parse, if there is one. */
function badOperand(line: string): LineError | undefined {
  const code = line.replace(/#.*$/, '');
  for (const stmt of split(code, ';', 0)) {
    const head = /^(\s*(?:[A-Za-z_.$][\w.$]*|\d+)\s*:)*\s*([.A-Za-z][\w.]*)\s*/.exec(stmt.text);
    if (!head || head[0].length === stmt.text.length) continue;
    const rule = head[2]!.startsWith('.') ? 'dirArg' : 'operand';
    if (head[2] === '.insn') continue;
    const rest = stmt.text.slice(head[0].length);
    for (const part of split(rest, ',', stmt.at + head[0].length)) {
      const t = part.text.trim();
      const col = part.at + (part.text.length - part.text.trimStart().length) + 1;
      if (t === '' && rule === 'operand') return new LineError(col, 'missing operand');
      if (t !== '' && ohmParser().grammar.match(t, rule).failed()) return new LineError(col, `bad operand '${t}'`);
    }
  }
  return undefined;
}

function syntaxMessage(line: string, pos: number, expected: string): string {
  const rest = line.slice(pos);
  const token = /^\S+/.exec(rest)?.[0];
  const found = token === undefined ? 'end of line' : `'${token.length > 20 ? token.slice(0, 20) + '...' : token}'`;
  return `syntax error: expected ${expected}, found ${found}`;
}
