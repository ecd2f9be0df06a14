/**
 * Expression values and their evaluation, with GNU as's 64-bit integer semantics. A value is either
 * absolute or relative to an input section (a label before layout); the difference of two labels
 * of one section is absolute, which is what lets sizes depend on earlier labels in pass 1.
 */
import type { Expr } from './ast.js';
import { LineError } from './line-error.js';

export interface Value {
  /** Input section the value is relative to; undefined when absolute. */
  readonly sec: object | undefined;
  readonly v: bigint;
}

export interface Resolver {
  /** Value of a symbol; undefined when it is not known (yet). */
  symbol(name: string, col: number): Value | undefined;
  /** Value of a numeric local label reference (`1b`, `1f`). */
  local(n: string, dir: 'b' | 'f', col: number): Value | undefined;
  /** The location counter `.`. */
  dot(): Value;
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const abs = (v: bigint): Value => ({ sec: undefined, v: wrap(v) });
const truth = (b: boolean): bigint => (b ? -1n : 0n);

/** Evaluates an expression; undefined when it depends on something not known yet. */
export function evaluate(e: Expr, r: Resolver): Value | undefined {
  switch (e.k) {
    case 'num':
      return { sec: undefined, v: e.v };
    case 'sym':
      return e.name === '.' ? r.dot() : r.symbol(e.name, e.col);
    case 'local':
      return r.local(e.n, e.dir, e.col);
    case 'un': {
      const a = evaluate(e.a, r);
      if (a === undefined) return undefined;
      if (a.sec !== undefined) throw new LineError(0, `operator '${e.op}' needs an absolute value`);
      if (e.op === '-') return abs(-a.v);
      if (e.op === '~') return abs(~a.v);
      return abs(a.v === 0n ? 1n : 0n);
    }
    case 'bin': {
      const a = evaluate(e.a, r);
      const b = evaluate(e.b, r);
      if (a === undefined || b === undefined) return undefined;
      return binary(e.op, a, b, e.col);
    }
  }
}

function binary(op: string, a: Value, b: Value, col: number): Value {
  if (op === '+') {
    if (a.sec !== undefined && b.sec !== undefined) throw new LineError(col, 'cannot add two relocatable values');
    return { sec: a.sec ?? b.sec, v: wrap(a.v + b.v) };
  }
  if (op === '-') {
    if (b.sec !== undefined && a.sec !== b.sec) throw new LineError(col, 'cannot subtract values of different sections');
    return { sec: b.sec !== undefined ? undefined : a.sec, v: wrap(a.v - b.v) };
  }
  if (a.sec !== undefined || b.sec !== undefined) {
    if ((op === '==' || op === '!=') && a.sec === b.sec) return abs(truth((a.v === b.v) === (op === '==')));
    throw new LineError(col, `operator '${op}' needs absolute values`);
  }
  const x = a.v;
  const y = b.v;
  switch (op) {
    case '*':
      return abs(x * y);
    case '/':
    case '%':
      if (y === 0n) throw new LineError(col, 'division by zero');
      return abs(op === '/' ? x / y : x % y);
    case '<<':
      return abs(y < 0n || y >= 64n ? 0n : x << y);
    case '>>':
      return abs(y < 0n || y >= 64n ? 0n : BigInt.asUintN(64, x) >> y);
    case '|':
      return abs(x | y);
    case '&':
      return abs(x & y);
    case '^':
      return abs(x ^ y);
    case '!':
      return abs(x | ~y);
    case '==':
      return abs(truth(x === y));
    case '!=':
    case '<>':
      return abs(truth(x !== y));
    case '<':
      return abs(truth(x < y));
    case '>':
      return abs(truth(x > y));
    case '<=':
      return abs(truth(x <= y));
    case '>=':
      return abs(truth(x >= y));
    case '&&':
      return abs(x !== 0n && y !== 0n ? 1n : 0n);
    case '||':
      return abs(x !== 0n || y !== 0n ? 1n : 0n);
  }
  throw new LineError(col, `unknown operator '${op}'`);
}
