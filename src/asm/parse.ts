/**
 * The parser: one source line -> statements, through isa/asm.ohm and one semantics operation
 * (`ast`). Syntax errors come back as located diagnostics; meaning is given by assemble.ts.
 */
import type { Node } from 'ohm-js';
import { asmGrammar } from './grammar.js';
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

const col = (n: Node): number => n.source.startIdx + 1;

function parseNumber(text: string): bigint {
  const t = text.toLowerCase();
  if (t.startsWith('0x') || t.startsWith('0b')) return BigInt(t);
  if (t.length > 1 && t.startsWith('0')) {
    if (!/^[0-7]+$/.test(t)) throw new Error(`bad octal number '${text}'`);
    return BigInt('0o' + t.slice(1));
  }
  return BigInt(t);
}

const grammar = asmGrammar();
const semantics = grammar.createSemantics();

semantics.addOperation<unknown>('ast', {
  Line(list, _end): Statement[] {
    return list.asIteration().children.map((s) => s['ast']() as Statement);
  },
  Statement(labels, body): Statement {
    return { labels: labels.children.map((l) => l['ast']() as Label), body: body.children[0]?.['ast']() as Body | undefined };
  },
  Label(name, _colon): Label {
    return { name: name.sourceString, col: col(name) };
  },
  Assignment(name, _eq, e): Body {
    return { kind: 'assign', name: name.sourceString, col: col(name), e: e['ast']() as Expr };
  },
  InsnDirective(kw, format, ops): Body {
    return {
      kind: 'insnDir', format: format.sourceString, formatCol: col(format), col: col(kw),
      ops: ops.asIteration().children.map((o) => o['ast']() as Operand), end: this.source.endIdx + 1,
    };
  },
  Directive(name, args): Body {
    const list = args.asIteration().children.map((a) => a['ast']() as DirArg);
    const all = list.length === 1 && list[0]!.kind === 'empty' ? [] : list;
    return { kind: 'dir', name: name.sourceString, col: col(name), args: all, end: this.source.endIdx + 1 };
  },
  DirArg_string(s): DirArg {
    return { kind: 'string', bytes: s['ast']() as Uint8Array, col: col(s) };
  },
  DirArg_type(_at, name): DirArg {
    return { kind: 'type', name: name.sourceString, col: col(name) };
  },
  DirArg_expr(e): DirArg {
    return { kind: 'expr', e: e['ast']() as Expr, col: col(e) };
  },
  DirArg_empty(): DirArg {
    return { kind: 'empty', col: this.source.startIdx + 1 };
  },
  Instruction(m, ops): Body {
    return {
      kind: 'insn', name: m.sourceString, col: col(m),
      ops: ops.asIteration().children.map((o) => o['ast']() as Operand), end: this.source.endIdx + 1,
    };
  },
  Operand_mem(off, _l, base, _r): Operand {
    return { kind: 'mem', off: off['ast']() as Imm, base: base.sourceString, baseCol: col(base), col: col(off), text: this.sourceString };
  },
  Operand_memBase(_l, base, _r): Operand {
    return { kind: 'mem', off: undefined, base: base.sourceString, baseCol: col(base), col: col(this), text: this.sourceString };
  },
  Operand_plain(e): Operand {
    return e['ast']() as Imm;
  },
  OffsetExpr(e): Imm {
    if (e.ctorName === 'Reloc') return e['ast']() as Imm;
    return { kind: 'expr', e: e['ast']() as Expr, col: col(e), text: e.sourceString };
  },
  Reloc(_pct, fn, _l, e, _r): Imm {
    return { kind: 'reloc', fn: fn.sourceString as RelocFn, e: e['ast']() as Expr, col: col(this), text: this.sourceString };
  },
  LogOr_or(a, op, b): Expr {
    return bin(a, op, b);
  },
  LogAnd_and(a, op, b): Expr {
    return bin(a, op, b);
  },
  Compare_cmp(a, op, b): Expr {
    return bin(a, op, b);
  },
  AddExp_plus(a, op, b): Expr {
    return bin(a, op, b);
  },
  AddExp_minus(a, op, b): Expr {
    return bin(a, op, b);
  },
  BitExp_bit(a, op, b): Expr {
    return bin(a, op, b);
  },
  MulExp_mul(a, op, b): Expr {
    return bin(a, op, b);
  },
  Unary_op(op, a): Expr {
    const e = a['ast']() as Expr;
    if (op.sourceString === '+') return e;
    if (op.sourceString === '-' && e.k === 'num') return { k: 'num', v: -e.v };
    return { k: 'un', op: op.sourceString, a: e };
  },
  Primary_paren(_l, e, _r): Expr {
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
});

function bin(a: Node, op: Node, b: Node): Expr {
  return { k: 'bin', op: op.sourceString, a: a['ast']() as Expr, b: b['ast']() as Expr, col: col(op) };
}

/** Parses one line (without its newline). Throws LineError on a syntax error. */
export function parseLine(line: string): Statement[] {
  const m = grammar.match(line, 'Line');
  if (m.failed()) {
    const open = unterminatedString(line);
    if (open !== undefined) throw new LineError(open, 'unterminated string');
    const bad = badOperand(line);
    if (bad) throw bad;
    const pos = m.getRightmostFailurePosition();
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
    const rule = head[2]!.startsWith('.') ? 'DirArg' : 'Operand';
    if (head[2] === '.insn') continue;
    const rest = stmt.text.slice(head[0].length);
    for (const part of split(rest, ',', stmt.at + head[0].length)) {
      const t = part.text.trim();
      const col = part.at + (part.text.length - part.text.trimStart().length) + 1;
      if (t === '' && rule === 'Operand') return new LineError(col, 'missing operand');
      if (t !== '' && grammar.match(t, rule).failed()) return new LineError(col, `bad operand '${t}'`);
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
