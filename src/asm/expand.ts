/**
 * Before the two passes: source text -> the list of statements to assemble, with GNU as's textual
 * features applied in order: `.include` (relative to the including file), `.macro`/`.endm` (parameters,
 * defaults, `:req`, `:vararg`, keyword arguments, `\@`, `\()`, `.exitm`, `.purgem`), `.rept`/`.irp`/
 * `.irpc`/`.endr`, and conditional assembly (`.if*`/`.elseif`/`.else`/`.endif`).
 *
 * Conditions are decided here, in source order (conditions.ts). Debug and unwind directives that gcc
 * emits with -g or unwind tables (`.loc`, `.file N "name"`, `.cfi_*`) are accepted and dropped here:
 * they describe the code and do not change it.
 *
 * A statement that comes from a macro body carries its use (the line that invoked the macro, and
 * the column of the macro's name there): its messages point at the use and say "in macro X, from
 * file:line" (the line of the body).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Statement } from './ast.js';
import type { Item } from './state.js';
import type { Diagnostic } from './diagnostics.js';
import { Conditions } from './conditions.js';
import { compact } from './compact.js';
import { LineError } from './line-error.js';
import { parseLine } from './parse.js';
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

const MAX_DEPTH = 100;
const MAX_STATEMENTS = 4_000_000;

const DEBUG_ONLY = /^\.(?:loc|loc_mark_labels|cfi_[a-z_]+|file[ \t]+\d)(?![\w.$])/;
const CONTROL =
  /^(\.(?:if|ifdef|ifndef|ifnotdef|ifc|ifnc|ifeqs|ifnes|ifb|ifnb|ifeq|ifne|ifgt|ifge|iflt|ifle|elseif|else|endif|macro|endm|endr|rept|irp|irpc|exitm|purgem|include|end))(?![\w.$])/;

class Expander {
  readonly items: Item[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly macros = new MacroTable();
  private readonly cond = new Conditions();
  private readonly parsed = new Map<string, Statement[]>();
  private readonly sources = new Map<string, string[]>();
  /** The main file's lines, as written (the first file read). */
  mainLines: readonly string[] = [];
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
        ? {
            file: use.file,
            line: use.line,
            col: use.col,
            severity: 'error',
            message: `${message} (${use.note})`,
            source: use.source,
            order,
          }
        : { file: l.file, line: l.line, col: Math.max(1, col), severity: 'error', message, source: this.sourceOf(l.file, l.line), order },
    );
  }

  file(text: string, file: string, depth: number, use: Use | undefined): void {
    const original = text.split(/\r?\n/);
    this.sources.set(file, original);
    if (depth === 0) this.mainLines = original;
    const blanked = blankBlockComments(text);
    const lines = (blanked === text ? original : blanked.split(/\r?\n/)).map((t, i): Line => ({ text: t, file, line: i + 1 }));
    const condDepth = this.cond.depth;
    this.run(lines, depth, use);
    if (this.cond.depth > condDepth && !this.ended) {
      const last = lines[lines.length - 1]!;
      this.error(last, use, 1, `end of file inside .if (${this.cond.depth - condDepth} not closed)`);
    }
    this.cond.truncate(condDepth);
  }

  /** Processes lines; returns false when `.exitm` ended the macro they belong to. */
  run(lines: readonly Line[], depth: number, outerUse: Use | undefined): boolean {
    for (let i = 0; i < lines.length && !this.ended; i++) {
      const l = lines[i]!;
      const use = l.use ?? outerUse;
      const t = l.text;
      let p = 0;
      while (t[p] === ' ' || t[p] === '\t') p++;
      if (p === t.length) continue;
      // Only a line that starts with a control directive needs its compacted text here.
      const name = t[p] === '.' ? CONTROL.exec(t.slice(p))?.[1] : undefined;
      if (name === undefined && t[p] === '.' && this.cond.active && DEBUG_ONLY.test(t.slice(p))) continue;
      const code = name === undefined ? '' : compact(t).text;
      try {
        if (name !== undefined && this.cond.directive(name, code.slice(name.length).trim())) continue;
        if (!this.cond.active) {
          // Skip, but keep block structure: a `.macro`/`.rept` body inside a false `.if` is skipped whole.
          if (name === '.macro' || name === '.rept' || name === '.irp' || name === '.irpc') i = this.bodyEnd(lines, i, name);
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
        if (name === '.endm' || name === '.endr')
          throw new LineError(1, `${name} without a matching ${name === '.endm' ? '.macro' : '.rept, .irp or .irpc'}`);
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
    for (let i = 0; i < stmts.length; i++) {
      const stmt = stmts[i]!;
      this.cond.track(stmt);
      if (this.items.length >= MAX_STATEMENTS) throw new LineError(1, `more than ${MAX_STATEMENTS} statements (runaway .rept or macro?)`);
      const index = this.items.length;
      let item: Item;
      if (use) item = { stmt, line: use.line, index, file: use.file, source: use.source, note: use.note, col: use.col };
      else if (l.file === this.mainFile) item = { stmt, line: l.line, index };
      else item = { stmt, line: l.line, index, file: l.file, source: this.sourceOf(l.file, l.line) };
      this.items.push(item);
    }
  }

  /** The copies of a `.rept`/`.irp`/`.irpc` body. */
  private repeat(name: string, rest: string, body: readonly Line[], _l: Line): Line[][] {
    if (name === '.rept') {
      const n = this.cond.constantText(rest, '.rept');
      if (n < 0n || n > 1_000_000n) throw new LineError(1, `.rept count ${n} out of range 0..1000000`);
      return Array.from({ length: Number(n) }, () => body as Line[]);
    }
    const parts = splitArgs(rest, true);
    const param = parts[0]?.trim() ?? '';
    if (!/^[A-Za-z_.$][\w.$]*$/.test(param)) throw new LineError(1, `${name}: expected a parameter name, found '${param}'`);
    const values = name === '.irp' ? parts.slice(1).map(unquote) : [...parts.slice(1).map(unquote).join('')];
    if (values.length === 0) values.push('');
    return values.map((v) =>
      body.map((b) => ({
        ...b,
        text: b.text.replace(/\\(\(\)|[A-Za-z_.$][\w.$]*)/g, (m, id: string) => (id === '()' ? '' : id === param ? v : m)),
      })),
    );
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
    const condDepth = this.cond.depth;
    // `.exitm` leaves any `.if` opened in the body: those end with the macro.
    if (!this.run(lines, depth + 1, outer)) this.cond.truncate(condDepth);
  }
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** The statements of a file, after includes, macros, repetitions and conditions; and the file's lines (`source` split). */
export function expand(
  source: string,
  file: string,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): { items: Item[]; diagnostics: Diagnostic[]; lines: readonly string[] } {
  const x = new Expander(file, read);
  x.file(source, file, 0, undefined);
  return { items: x.items, diagnostics: x.diagnostics, lines: x.mainLines };
}
