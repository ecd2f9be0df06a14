/**
 * GNU as macros as text: definitions (`.macro name p1, p2=default, p3:req, p4:vararg`), recognising a
 * use, and instantiating a body with its arguments (`\p`, `\@` the number of macros run so far, `\()`
 * an empty separator). Also the helpers the expander shares: argument splitting and blanking of
 * block comments.
 */
import { compact } from './compact.js';
import { LineError } from './line-error.js';

export interface MacroParam {
  readonly name: string;
  readonly def: string;
  readonly req: boolean;
  readonly vararg: boolean;
}

/** A body line and where it was written. */
export interface BodyLine {
  readonly text: string;
  readonly file: string;
  readonly line: number;
}

export interface Macro {
  readonly name: string;
  readonly params: readonly MacroParam[];
  readonly body: readonly BodyLine[];
  /** Where it was defined. */
  readonly file: string;
  readonly line: number;
}

const IDENT = /^[A-Za-z_.$][\w.$]*$/;
const NAME_AT_START = /^((?:(?:[A-Za-z_.$][\w.$]*|\d+):)*)([A-Za-z_.$][\w.$]*)(?= |$)/;

/**
 * Top-level pieces of an argument list, split at commas outside quotes and parentheses; when
 * `commasOnly` is false and there is no such comma, at blanks (GNU accepts `m a b` for `m a, b`).
 */
export function splitArgs(text: string, commasOnly: boolean): string[] {
  const t = text.trim();
  if (t === '') return [];
  const split = (sep: (c: string) => boolean): string[] => {
    const parts: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < t.length; i++) {
      const c = t[i]!;
      if (c === '"') {
        for (i++; i < t.length && t[i] !== '"'; i++) if (t[i] === '\\') i++;
      } else if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (depth <= 0 && sep(c)) {
        parts.push(t.slice(start, i).trim());
        start = i + 1;
      }
    }
    parts.push(t.slice(start).trim());
    return parts;
  };
  const byComma = split((c) => c === ',');
  if (byComma.length > 1 || commasOnly) return byComma;
  return split((c) => c === ' ' || c === '\t').filter((p) => p !== '');
}

export class MacroTable {
  private readonly macros = new Map<string, Macro>();

  define(header: string, body: readonly BodyLine[], at: { file: string; line: number }): void {
    const m = /^([A-Za-z_.$][\w.$]*)\s*,?\s*(.*)$/.exec(header);
    if (!m) throw new LineError(1, `.macro: expected a macro name, found '${header}'`);
    const name = m[1]!;
    if (this.macros.has(name)) {
      const old = this.macros.get(name)!;
      throw new LineError(1, `macro '${name}' is already defined (at ${old.file}:${old.line})`);
    }
    const params: MacroParam[] = [];
    for (const p of splitArgs(m[2]!, false)) {
      const pm = /^([A-Za-z_.$][\w.$]*)\s*(?::\s*(req|vararg))?\s*(?:=(.*))?$/.exec(p);
      if (!pm || !IDENT.test(pm[1]!)) throw new LineError(1, `.macro ${name}: bad parameter '${p}'`);
      if (params.some((q) => q.name === pm[1])) throw new LineError(1, `.macro ${name}: parameter '${pm[1]}' appears twice`);
      params.push({ name: pm[1]!, def: (pm[3] ?? '').trim(), req: pm[2] === 'req', vararg: pm[2] === 'vararg' });
    }
    const bad = params.findIndex((p) => p.vararg);
    if (bad >= 0 && bad !== params.length - 1) throw new LineError(1, `.macro ${name}: only the last parameter can be :vararg`);
    this.macros.set(name, { name, params, body, file: at.file, line: at.line });
  }

  purge(name: string): void {
    if (!this.macros.delete(name)) throw new LineError(1, `.purgem: no macro named '${name}'`);
  }

  /** A use of a macro on this line: its labels (as text), the macro, the argument text and the 1-based column of the name. */
  match(line: string): { labels: string; macro: Macro; args: string; col: number } | undefined {
    if (this.macros.size === 0) return undefined;
    const { text, map } = compact(line);
    const m = NAME_AT_START.exec(text);
    const macro = m && this.macros.get(m[2]!);
    if (!m || !macro) return undefined;
    const at = m[1]!.length;
    return { labels: m[1]!, macro, args: text.slice(at + m[2]!.length), col: (map[at] ?? 0) + 1 };
  }

  /** The body with the arguments substituted. */
  instantiate(macro: Macro, argText: string, col: number, count: number): BodyLine[] {
    const values = new Map<string, string>();
    const args = splitArgs(argText, false);
    let next = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const kw = /^([A-Za-z_.$][\w.$]*)\s*=(.*)$/.exec(a);
      const named = kw && macro.params.find((p) => p.name === kw[1]);
      if (named) {
        values.set(named.name, kw[2]!.trim());
        continue;
      }
      const p = macro.params[next];
      if (!p) throw new LineError(col, `too many arguments for macro '${macro.name}': it takes ${macro.params.length}`);
      if (p.vararg) {
        values.set(p.name, args.slice(i).join(', '));
        break;
      }
      if (a !== '') values.set(p.name, a);
      next++;
    }
    for (const p of macro.params) {
      if (values.has(p.name)) continue;
      if (p.req) throw new LineError(col, `missing value for required parameter '${p.name}' of macro '${macro.name}'`);
      values.set(p.name, p.def);
    }
    return macro.body.map((b) => ({
      ...b,
      text: b.text.includes('\\')
        ? b.text.replace(/\\(@|\(\)|[A-Za-z_.$][\w.$]*)/g, (whole, id: string) => {
            if (id === '@') return String(count);
            if (id === '()') return '';
            return values.get(id) ?? whole;
          })
        : b.text,
    }));
  }
}

/** Blanks out the inside of `/* ... *\/` comments that span lines, keeping line numbers. */
export function blankBlockComments(source: string): string {
  if (!source.includes('/*')) return source;
  let out = '';
  let i = 0;
  let inString = false;
  while (i < source.length) {
    const c = source[i]!;
    if (inString) {
      out += c;
      if (c === '\\' && i + 1 < source.length) out += source[++i];
      else if (c === '"' || c === '\n') inString = false;
      i++;
    } else if (c === '"') {
      inString = true;
      out += c;
      i++;
    } else if (c === '#') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
