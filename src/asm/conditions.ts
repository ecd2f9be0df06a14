/**
 * Conditional assembly for the expander (expand.ts): the stack of open `.if` blocks, and what the
 * conditions can see. Conditions are decided in source order, as GNU's one pass does: an `.if`
 * expression may use numbers and symbols given constant values (`=`, `.set`, `.equ`) on earlier
 * lines; `.ifdef` sees labels and symbols defined on earlier lines.
 */
import type { Expr, Statement } from './ast.js';
import { evaluate } from './expr.js';
import { splitArgs } from './macros.js';
import { LineError } from './line-error.js';
import { parseLine } from './parse.js';

interface Cond {
  /** Lines in this branch are assembled. */
  active: boolean;
  /** Some branch of this `.if` was taken already. */
  taken: boolean;
  /** The enclosing region is active. */
  readonly outer: boolean;
  sawElse: boolean;
}

export class Conditions {
  private readonly stack: Cond[] = [];
  /** Names defined so far (labels, `=`/`.set`/`.equ`), for `.ifdef`. */
  private readonly defined = new Set<string>();
  /** Constant values of symbols so far, for `.if` expressions. */
  private readonly consts = new Map<string, bigint>();

  /** Lines here are assembled (every enclosing `.if` took this branch). */
  get active(): boolean {
    const c = this.stack[this.stack.length - 1];
    return c === undefined || c.active;
  }

  /** Number of open `.if` blocks. */
  get depth(): number {
    return this.stack.length;
  }

  /** Closes the blocks opened beyond `depth` (end of a file, `.exitm`). */
  truncate(depth: number): void {
    this.stack.length = Math.min(this.stack.length, depth);
  }

  /** Notes what a statement defines, for later `.ifdef` and `.if`. */
  track(stmt: Statement): void {
    for (let i = 0; i < stmt.labels.length; i++) this.defined.add(stmt.labels[i]!.name);
    const b = stmt.body;
    if (!b) return;
    if (b.kind === 'assign') this.setConst(b.name, b.e);
    else if (b.kind === 'dir' && (b.name === '.set' || b.name === '.equ' || b.name === '.equiv' || b.name === '.eqv')) {
      const [n, v] = b.args;
      if (n?.kind === 'expr' && n.e.k === 'sym' && v?.kind === 'expr') this.setConst(n.e.name, v.e);
    } else if (b.kind === 'dir' && (b.name === '.comm' || b.name === '.lcomm')) {
      const n = b.args[0];
      if (n?.kind === 'expr' && n.e.k === 'sym') this.defined.add(n.e.name);
    }
  }

  private setConst(name: string, e: Expr): void {
    this.defined.add(name);
    try {
      const v = this.constant(e);
      this.consts.set(name, v);
    } catch {
      this.consts.delete(name);
    }
  }

  /** An expression of numbers and constant symbols; throws LineError otherwise. */
  private constant(e: Expr, col = 1): bigint {
    const v = evaluate(e, {
      symbol: (n, c) => {
        const k = this.consts.get(n);
        if (k === undefined) throw new LineError(c, `'${n}' has no constant value here (conditions are decided in source order)`);
        return { sec: undefined, v: k };
      },
      local: (n, d, c) => {
        throw new LineError(c, `'${n}${d}' has no constant value here`);
      },
      dot: () => {
        throw new LineError(col, `'.' has no constant value here`);
      },
    });
    return v!.v;
  }

  /** A constant expression given as text (a directive's argument). */
  constantText(text: string, what: string): bigint {
    const stmts = parseLine(`.if ${text}`);
    const body = stmts[0]?.body;
    const arg = body?.kind === 'dir' && body.args.length === 1 ? body.args[0] : undefined;
    if (arg?.kind !== 'expr') {
      throw new LineError(1, `${what}: expected one expression, found '${text}'`);
    }
    return this.constant(arg.e, arg.col);
  }

  /** Handles `.if*`/`.else*`/`.endif`; returns false for other directives. */
  directive(name: string, rest: string): boolean {
    const top = this.stack[this.stack.length - 1];
    if (name === '.endif') {
      if (!top) throw new LineError(1, '.endif without .if');
      this.stack.pop();
      return true;
    }
    if (name === '.else' || name === '.elseif') {
      if (!top) throw new LineError(1, `${name} without .if`);
      if (top.sawElse) throw new LineError(1, `${name} after .else`);
      if (name === '.else') {
        top.sawElse = true;
        top.active = top.outer && !top.taken;
      } else {
        top.active = top.outer && !top.taken && this.constantText(rest, '.elseif') !== 0n;
      }
      top.taken ||= top.active;
      return true;
    }
    if (!name.startsWith('.if')) return false;
    const outer = this.active;
    const cond: Cond = { active: false, taken: true, outer, sawElse: false };
    // Pushed before the condition is decided: a bad condition still opens a block (skipped whole).
    this.stack.push(cond);
    const value = outer ? this.condition(name, rest) : false;
    cond.active = value;
    cond.taken = value;
    return true;
  }

  private condition(name: string, rest: string): boolean {
    const args = (): [string, string] => {
      const parts = splitArgs(rest, true);
      if (parts.length !== 2) throw new LineError(1, `${name}: expected two strings separated by a comma`);
      return [unquote(parts[0]!), unquote(parts[1]!)];
    };
    switch (name) {
      case '.ifdef':
        return this.defined.has(rest);
      case '.ifndef':
      case '.ifnotdef':
        return !this.defined.has(rest);
      case '.ifc':
      case '.ifeqs': {
        const [a, b] = args();
        return a === b;
      }
      case '.ifnc':
      case '.ifnes': {
        const [a, b] = args();
        return a !== b;
      }
      case '.ifb':
        return rest === '';
      case '.ifnb':
        return rest !== '';
    }
    const v = this.constantText(rest, name);
    switch (name) {
      case '.if':
      case '.ifne':
        return v !== 0n;
      case '.ifeq':
        return v === 0n;
      case '.ifgt':
        return v > 0n;
      case '.ifge':
        return v >= 0n;
      case '.iflt':
        return v < 0n;
      default:
        return v <= 0n;
    }
  }
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}
