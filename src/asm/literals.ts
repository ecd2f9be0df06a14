/** Building expression trees as GNU as reads them: numeric literals and binary operator precedence. */
import type { Expr } from './ast.js';

/**
 * A literal as GNU as reads it: a 64-bit value, so that 0x8000000000000000..0xffffffffffffffff are
 * the negative numbers they encode (`li a5, 0xffffffffffffffff` is `li a5, -1`).
 */
export function parseNumber(text: string): bigint {
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
export function precedence(operands: Expr[], operators: { op: string; col: number }[]): Expr {
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
