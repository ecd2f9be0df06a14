/**
 * Before the two passes: source text -> the list of statements to assemble, with GNU as's textual
 * features applied in order: `.include` (relative to the including file), `.macro`/`.endm` (parameters,
 * defaults, `:req`, `:vararg`, keyword arguments, `\@`, `\()`, `.exitm`, `.purgem`), `.rept`/`.irp`/
 * `.irpc`/`.endr`, and conditional assembly (`.if*`/`.elseif`/`.else`/`.endif`).
 *
 * Conditions are decided here, in source order, as GNU's one pass does: an `.if` expression may use
 * numbers and symbols given constant values (`=`, `.set`, `.equ`) on earlier lines; `.ifdef` sees
 * labels and symbols defined on earlier lines.
 *
 * A statement that comes from a macro body carries its use (the line that invoked the macro, and
 * the column of the macro's name there): its messages point at the use and say "in macro X, from
 * file:line" (the line of the body).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Statement } from './ast.js';
import type { Item } from './context.js';
import type { Diagnostic } from './diagnostics.js';
import { evaluate } from './expr.js';
import { compact, LineError, parseLine } from './parse.js';
import { blankBlockComments, MacroTable, splitArgs, type Macro } from './macros.js';

/** One line to process, with where it came from. */
interface Line {
  readonly text: string;
  readonly file: string;
  readonly line: number;
  /** Set on lines of a macro body: the use they are reported at. */
  readonly use?: Use;
}

/** The use of the outermost macro a line comes from, and the chain of macros. */
interface Use {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly source: string;
  readonly note: string;
}

interface Cond {
  /** Lines in this branch are assembled. */
  active: boolean;
  /** Some branch of this `.if` was taken already. */
  taken: boolean;
  /** The enclosing region is active. */
  readonly outer: boolean;
  sawElse: boolean;
}

const MAX_DEPTH = 100;
const MAX_STATEMENTS = 4_000_000;

const CONTROL = /^(\.(?:if|ifdef|ifndef|ifnotdef|ifc|ifnc|ifeqs|ifnes|ifb|ifnb|ifeq|ifne|ifgt|ifge|iflt|ifle|elseif|else|endif|macro|endm|endr|rept|irp|irpc|exitm|purgem|include|end))(?![\w.$])/;

class Expander {
  readonly items: Item[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly macros = new MacroTable();
  private readonly conds: Cond[] = [];
  /** Names defined so far (labels, `=`/`.set`/`.equ`), for `.ifdef`. */
  private readonly defined = new Set<string>();
  /** Constant values of symbols so far, for `.if` expressions. */
  private readonly consts = new Map<string, bigint>();
  private readonly parsed = new Map<string, Statement[]>();
  private readonly sources = new Map<string, string[]>();
  private macroCount = 0;
  private errors = 0;
  private ended = false;

  constructor(
    readonly mainFile: string,
    private readonly read: (path: string) => string,
  ) {}

  /** Displayed text of a line of a file (the original, comments included). */
  private sourceOf(file: string, line: number): string {
    return this.sources.get(file)?.[line - 1] ?? '';
  }

  private error(l: Line, use: Use | undefined, col: number, message: string): void {
    // Between the statements already made and the next one, in the order found.
    const order = this.items.length - 0.5 + this.errors++ * 1e-7;
    this.diagnostics.push(
      use
        ? { file: use.file, line: use.line, col: use.col, severity: 'error', message: `${message} (${use.note})`, source: use.source, order }
        : { file: l.file, line: l.line, col: Math.max(1, col), severity: 'error', message, source: this.sourceOf(l.file, l.line), order },
    );
  }

  get active(): boolean {
    const c = this.conds[this.conds.length - 1];
    return c === undefined || c.active;
  }

  file(text: string, file: string, depth: number, use: Use | undefined): void {
    this.sources.set(file, text.split(/\r?\n/));
    const lines = blankBlockComments(text)
      .split(/\r?\n/)
      .map((t, i): Line => ({ text: t, file, line: i + 1 }));
    const condDepth = this.conds.length;
    this.run(lines, depth, use);
    if (this.conds.length > condDepth && !this.ended) {
      const last = lines[lines.length - 1]!;
      this.error(last, use, 1, `end of file inside .if (${this.conds.length - condDepth} not closed)`);
    }
    this.conds.length = Math.min(this.conds.length, condDepth);
  }

  /** Processes lines; returns false when `.exitm` ended the macro they belong to. */
  run(lines: readonly Line[], depth: number, outerUse: Use | undefined): boolean {
    for (let i = 0; i < lines.length && !this.ended; i++) {
      const l = lines[i]!;
      const use = l.use ?? outerUse;
      if (l.text.trim() === '') continue;
      let code: string;
      try {
        code = compact(l.text).text;
      } catch {
        code = l.text;
      }
      const ctl = CONTROL.exec(code);
      const name = ctl?.[1];
      try {
        if (name !== undefined && this.conditional(name, code.slice(name.length).trim(), l)) continue;
        if (!this.active) {
          // Skip, but keep block structure: a `.macro`/`.rept` body inside a false `.if` is skipped whole.
          if (name === '.macro' || name === '.rept' || name === '.irp' || name === '.irpc') i = this.bodyEnd(lines, i, name) ;
          continue;
        }
        if (name === '.macro') {
          const end = this.bodyEnd(lines, i, name);
          const start = i;
          i = end;
          this.macros.define(code.slice(name.length).trim(), lines.slice(start + 1, end), l);
          continue;
        }
        if (name === '.rept' || name === '.irp' || name === '.irpc') {
          const end = this.bodyEnd(lines, i, name);
          const body = lines.slice(i + 1, end);
          i = end;
          for (const copy of this.repeat(name, code.slice(name.length).trim(), body, l)) {
            if (depth >= MAX_DEPTH) throw new LineError(1, `repetitions nested more than ${MAX_DEPTH} deep`);
            if (!this.run(copy, depth + 1, outerUse)) return false;
          }
          continue;
        }
        if (name === '.endm' || name === '.endr') throw new LineError(1, `${name} without a matching ${name === '.endm' ? '.macro' : '.rept, .irp or .irpc'}`);
        if (name === '.exitm') {
          if (!use) throw new LineError(1, '.exitm outside a macro');
          return false;
        }
        if (name === '.purgem') {
          this.macros.purge(code.slice(name.length).trim());
          continue;
        }
        if (name === '.end') {
          this.ended = true;
          return false;
        }
        if (name === '.include') {
          this.include(code.slice(name.length).trim(), l, depth, use);
          continue;
        }
        const call = this.macros.match(l.text);
        if (call) {
          if (call.labels) this.statements(call.labels, l, use);
          this.invoke(call.macro, call.args, call.col, l, depth, use);
          continue;
        }
        this.statements(l.text, l, use);
      } catch (err) {
        if (!(err instanceof LineError)) throw err;
        this.error(l, use, err.col, err.message);
      }
    }
    return true;
  }

  /** Index of the line that ends the block opened at `lines[open]` (nested blocks counted). */
  private bodyEnd(lines: readonly Line[], open: number, name: string): number {
    const macro = name === '.macro';
    let depth = 1;
    for (let j = open + 1; j < lines.length; j++) {
      const m = CONTROL.exec(compact(lines[j]!.text).text)?.[1];
      if (m === undefined) continue;
      if (macro ? m === '.macro' : m === '.rept' || m === '.irp' || m === '.irpc') depth++;
      else if (m === (macro ? '.endm' : '.endr') && --depth === 0) return j;
    }
    throw new LineError(1, `${name} without ${macro ? '.endm' : '.endr'}`);
  }

  private statements(text: string, l: Line, use: Use | undefined): void {
    let stmts = this.parsed.get(text);
    if (!stmts) this.parsed.set(text, (stmts = parseLine(text)));
    for (const stmt of stmts) {
      this.track(stmt);
      if (this.items.length >= MAX_STATEMENTS) throw new LineError(1, `more than ${MAX_STATEMENTS} statements (runaway .rept or macro?)`);
      const item: Item = use
        ? { stmt, line: use.line, index: this.items.length, file: use.file, source: use.source, note: use.note, col: use.col }
        : { stmt, line: l.line, index: this.items.length, ...(l.file !== this.mainFile ? { file: l.file, source: this.sourceOf(l.file, l.line) } : {}) };
      this.items.push(item);
    }
  }

  /** Notes what a statement defines, for later `.ifdef` and `.if`. */
  private track(stmt: Statement): void {
    for (const label of stmt.labels) this.defined.add(label.name);
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

  private setConst(name: string, e: Parameters<typeof evaluate>[0]): void {
    this.defined.add(name);
    try {
      const v = this.constant(e);
      this.consts.set(name, v);
    } catch {
      this.consts.delete(name);
    }
  }

  /** An expression of numbers and constant symbols; throws LineError otherwise. */
  private constant(e: Parameters<typeof evaluate>[0], col = 1): bigint {
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
  private exprText(text: string, what: string): bigint {
    const stmts = parseLine(`.if ${text}`);
    const body = stmts[0]?.body;
    const arg = body?.kind === 'dir' && body.args.length === 1 ? body.args[0] : undefined;
    if (arg?.kind !== 'expr') {
      throw new LineError(1, `${what}: expected one expression, found '${text}'`);
    }
    return this.constant(arg.e, arg.col);
  }

  /** Handles `.if*`/`.else*`/`.endif`; returns false for other directives. */
  private conditional(name: string, rest: string, l: Line): boolean {
    const top = this.conds[this.conds.length - 1];
    if (name === '.endif') {
      if (!top) throw new LineError(1, '.endif without .if');
      this.conds.pop();
      return true;
    }
    if (name === '.else' || name === '.elseif') {
      if (!top) throw new LineError(1, `${name} without .if`);
      if (top.sawElse) throw new LineError(1, `${name} after .else`);
      if (name === '.else') {
        top.sawElse = true;
        top.active = top.outer && !top.taken;
      } else {
        top.active = top.outer && !top.taken && this.exprText(rest, '.elseif') !== 0n;
      }
      top.taken ||= top.active;
      return true;
    }
    if (!name.startsWith('.if')) return false;
    const outer = this.active;
    const cond: Cond = { active: false, taken: true, outer, sawElse: false };
    // Pushed before the condition is decided: a bad condition still opens a block (skipped whole).
    this.conds.push(cond);
    const value = outer ? this.condition(name, rest, l) : false;
    cond.active = value;
    cond.taken = value;
    return true;
  }

  private condition(name: string, rest: string, _l: Line): boolean {
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
    const v = this.exprText(rest, name);
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

  /** The copies of a `.rept`/`.irp`/`.irpc` body. */
  private repeat(name: string, rest: string, body: readonly Line[], _l: Line): Line[][] {
    if (name === '.rept') {
      const n = this.exprText(rest, '.rept');
      if (n < 0n || n > 1_000_000n) throw new LineError(1, `.rept count ${n} out of range 0..1000000`);
      return Array.from({ length: Number(n) }, () => body as Line[]);
    }
    const parts = splitArgs(rest, true);
    const param = parts[0]?.trim() ?? '';
    if (!/^[A-Za-z_.$][\w.$]*$/.test(param)) throw new LineError(1, `${name}: expected a parameter name, found '${param}'`);
    const values = name === '.irp' ? parts.slice(1).map(unquote) : [...parts.slice(1).map(unquote).join('')];
    if (values.length === 0) values.push('');
    return values.map((v) => body.map((b) => ({ ...b, text: b.text.replace(/\\(\(\)|[A-Za-z_.$][\w.$]*)/g, (m, id: string) => (id === '()' ? '' : id === param ? v : m)) })));
  }

  private include(rest: string, l: Line, depth: number, use: Use | undefined): void {
    const m = /^"((?:[^"\\]|\\.)*)"$/.exec(rest);
    if (!m) throw new LineError(1, `.include: expected a quoted file name, found '${rest}'`);
    if (depth >= 32) throw new LineError(1, '.include nested more than 32 deep');
    const path = join(dirname(l.file), m[1]!);
    let text: string;
    try {
      text = this.read(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new LineError(1, `cannot read included file '${path}'${code ? ` (${code})` : ''}`);
    }
    this.file(text, path, depth + 1, use);
  }

  private invoke(macro: Macro, argText: string, col: number, l: Line, depth: number, use: Use | undefined): void {
    if (depth >= MAX_DEPTH) throw new LineError(col, `macros nested more than ${MAX_DEPTH} deep (recursive macro '${macro.name}'?)`);
    const body = this.macros.instantiate(macro, argText, col, this.macroCount++);
    const outer: Use = use ?? { file: l.file, line: l.line, col, source: this.sourceOf(l.file, l.line), note: '' };
    const lines = body.map((b): Line => ({
      ...b,
      use: { ...outer, note: `in macro '${macro.name}', from ${b.file}:${b.line}` + (outer.note ? `, ${outer.note}` : '') },
    }));
    const condDepth = this.conds.length;
    // `.exitm` leaves any `.if` opened in the body: those end with the macro.
    if (!this.run(lines, depth + 1, outer)) this.conds.length = Math.min(this.conds.length, condDepth);
  }
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** The statements of a file, after includes, macros, repetitions and conditions. */
export function expand(
  source: string,
  file: string,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): { items: Item[]; diagnostics: Diagnostic[] } {
  const x = new Expander(file, read);
  x.file(source, file, 0, undefined);
  return { items: x.items, diagnostics: x.diagnostics };
}
