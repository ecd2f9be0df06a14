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
import { LineError } from './line-error.js';
import { compact } from './compact.js';
import { parseNumber, precedence } from './literals.js';
import { badOperand, syntaxMessage } from './syntax-errors.js';

/** Original index of each character of the compacted line being parsed (see compact()). */
let origin: number[] = [];
let originLength = 0;
/** 1-based column in the original line of a compacted index. */
const colAt = (idx: number): number =>
  idx < origin.length ? origin[idx]! + 1 : origin.length ? origin[origin.length - 1]! + 2 : originLength + 1;
const col = (n: Node): number => colAt(n.source.startIdx);

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
    const bad = badOperand(line, grammar);
    if (bad) throw bad;
    const pos = colAt(m.getRightmostFailurePosition()) - 1;
    throw new LineError(pos + 1, syntaxMessage(line, pos, m.getExpectedText()));
  }
  return semantics(m)['ast']() as Statement[];
}
