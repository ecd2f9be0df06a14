/** What every directive shares: its parsed form and the reading and checking of its arguments. */
import type { Body, DirArg, Expr } from './ast.js';
import type { Asm } from './context.js';
import { LineError } from './line-error.js';

export type DirBody = Body & { kind: 'dir' };
export interface Directive {
  readonly doc: string;
  run(a: Asm, d: DirBody): void;
}

export function expr(arg: DirArg | undefined, d: DirBody, what: string): { e: Expr; col: number } {
  if (arg?.kind !== 'expr') throw new LineError(arg?.col ?? d.end, `${d.name}: expected ${what}`);
  return { e: arg.e, col: arg.col };
}

export function symbolName(arg: DirArg | undefined, d: DirBody): string {
  if (arg?.kind === 'expr' && arg.e.k === 'sym') return arg.e.name;
  throw new LineError(arg?.col ?? d.end, `${d.name}: expected a symbol name`);
}

/** Runs `use` on each argument, which must all be symbol names (at least one). */
export function eachSymbol(d: DirBody, use: (name: string) => void): void {
  if (d.args.length === 0) throw new LineError(d.end, `${d.name}: expected a symbol name`);
  for (const arg of d.args) use(symbolName(arg, d));
}

export function count(d: DirBody, min: number, max: number): void {
  if (d.args.length < min || d.args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new LineError(d.col, `wrong number of operands for '${d.name}': expected ${expected}, found ${d.args.length}`);
  }
}

/** Optional numeric argument (absent or empty gives undefined); must be known in pass 1. */
export function optConst(a: Asm, d: DirBody, i: number, what: string): number | undefined {
  const arg = d.args[i];
  if (arg === undefined || arg.kind === 'empty') return undefined;
  const { e, col } = expr(arg, d, what);
  return Number(a.constant(e, col, `the ${what} of ${d.name}`));
}
