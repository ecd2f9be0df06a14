/**
 * The subset of GNU ld's linker-script language that programs/runtime/linker.ld uses: OUTPUT_ARCH,
 * ENTRY, MEMORY regions, and SECTIONS with output sections (an optional address, `(NOLOAD)`,
 * `ALIGN(n)`, `> REGION`), input section lists `*(pattern ...)` and `KEEP(...)` (`COMMON` included),
 * `/DISCARD/`, and assignments to `.` and to symbols with `+`, `-`, `ALIGN(n)`, numbers (with K/M) and
 * symbol names. Anything else is a clear error naming the line.
 */
import { ShadowError } from '../base/errors.js';

export type ScriptExpr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'dot' }
  | { readonly k: 'sym'; readonly name: string }
  | { readonly k: 'align'; readonly a: ScriptExpr }
  | { readonly k: 'bin'; readonly op: '+' | '-'; readonly a: ScriptExpr; readonly b: ScriptExpr };

export interface Assignment {
  readonly kind: 'assign';
  /** `.` or a symbol name. */
  readonly name: string;
  readonly e: ScriptExpr;
}

export interface InputSpec {
  readonly kind: 'input';
  /** Section name patterns (`*` and `?` wildcards); `COMMON` is the common symbols. */
  readonly patterns: readonly string[];
}

export interface OutputStatement {
  readonly kind: 'output';
  readonly name: string;
  readonly addr: ScriptExpr | undefined;
  readonly align: ScriptExpr | undefined;
  readonly noload: boolean;
  readonly region: string | undefined;
  readonly body: readonly (Assignment | InputSpec)[];
}

export interface LinkerScript {
  readonly entry: string | undefined;
  readonly regions: ReadonlyMap<string, { readonly origin: number; readonly length: number }>;
  readonly statements: readonly (Assignment | OutputStatement)[];
}

interface Token {
  readonly t: string;
  readonly line: number;
}

function tokenize(text: string, file: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new ShadowError('LINK', `${file}:${line}: unterminated comment`);
      for (let k = i; k < end; k++) if (text[k] === '\n') line++;
      i = end + 2;
    } else if ('{}():;=+-,>'.includes(c)) {
      out.push({ t: c, line });
      i++;
    } else {
      const m = /^[A-Za-z0-9_.$*?/[\]!~]+/.exec(text.slice(i, i + 256));
      if (!m) throw new ShadowError('LINK', `${file}:${line}: unexpected character '${c}'`);
      out.push({ t: m[0], line });
      i += m[0].length;
    }
  }
  return out;
}

/** Parses a linker script; `file` names it in messages. */
export function parseScript(text: string, file: string): LinkerScript {
  const toks = tokenize(text, file);
  let p = 0;
  const fail = (msg: string): never => {
    const at = toks[Math.min(p, toks.length - 1)];
    throw new ShadowError('LINK', `${file}:${at?.line ?? 1}: ${msg}`);
  };
  const peek = (k = 0): string | undefined => toks[p + k]?.t;
  const next = (): string => (p < toks.length ? toks[p++]!.t : fail('unexpected end of the script'));
  const expect = (t: string): void => {
    const got = next();
    if (got !== t) {
      p--;
      fail(`expected '${t}', found '${got}'`);
    }
  };
  const number = (s: string): number | undefined => {
    const m = /^(0x[0-9a-f]+|[0-9]+)([KM]?)$/i.exec(s);
    if (!m) return undefined;
    const n = Number(m[1]);
    return m[2]!.toUpperCase() === 'K' ? n * 1024 : m[2]!.toUpperCase() === 'M' ? n * 1024 * 1024 : n;
  };
  const primary = (): ScriptExpr => {
    const t = next();
    if (t === '(') {
      const e = expr();
      expect(')');
      return e;
    }
    if (t === 'ALIGN') {
      expect('(');
      const a = expr();
      expect(')');
      return { k: 'align', a };
    }
    if (t === '.') return { k: 'dot' };
    const n = number(t);
    if (n !== undefined) return { k: 'num', v: n };
    if (/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(t)) return { k: 'sym', name: t };
    p--;
    return fail(`expected an expression, found '${t}'`);
  };
  const expr = (): ScriptExpr => {
    let e = primary();
    while (peek() === '+' || peek() === '-') {
      const op = next() as '+' | '-';
      e = { k: 'bin', op, a: e, b: primary() };
    }
    return e;
  };
  const assignment = (name: string): Assignment => {
    expect('=');
    const e = expr();
    expect(';');
    return { kind: 'assign', name, e };
  };
  const inputSpec = (): InputSpec => {
    const t = next();
    if (t === 'KEEP') {
      expect('(');
      const inner = inputSpec();
      expect(')');
      return inner;
    }
    if (t !== '*') {
      p--;
      fail(`only '*(...)' input section lists are supported, found '${t}'`);
    }
    if (peek() !== '(') return { kind: 'input', patterns: ['*'] };
    expect('(');
    const patterns: string[] = [];
    while (peek() !== ')') patterns.push(next());
    expect(')');
    return { kind: 'input', patterns };
  };
  const output = (name: string): OutputStatement => {
    let addr: ScriptExpr | undefined;
    let noload = false;
    if (peek() === '(' && peek(1) === 'NOLOAD') {
      p += 2;
      expect(')');
      noload = true;
    } else if (peek() !== ':') {
      addr = expr();
      if (peek() === '(' && peek(1) === 'NOLOAD') {
        p += 2;
        expect(')');
        noload = true;
      }
    }
    expect(':');
    let align: ScriptExpr | undefined;
    if (peek() === 'ALIGN') {
      next();
      expect('(');
      align = expr();
      expect(')');
    }
    expect('{');
    const body: (Assignment | InputSpec)[] = [];
    while (peek() !== '}') {
      if (peek(1) === '=') body.push(assignment(next()));
      else body.push(inputSpec());
    }
    expect('}');
    let region: string | undefined;
    if (peek() === '>') {
      next();
      region = next();
    }
    return { kind: 'output', name, addr, align, noload, region, body };
  };

  let entry: string | undefined;
  const regions = new Map<string, { origin: number; length: number }>();
  const statements: (Assignment | OutputStatement)[] = [];
  while (p < toks.length) {
    const t = next();
    if (t === 'OUTPUT_ARCH' || t === 'ENTRY') {
      expect('(');
      const arg = next();
      expect(')');
      if (t === 'ENTRY') entry = arg;
    } else if (t === 'MEMORY') {
      expect('{');
      while (peek() !== '}') {
        const name = next();
        if (peek() === '(') {
          while (next() !== ')');
        }
        expect(':');
        const field = (key: string[]): number => {
          const k = next();
          if (!key.includes(k)) {
            p--;
            fail(`expected ${key[0]}, found '${k}'`);
          }
          expect('=');
          return evalConst(expr(), fail);
        };
        const origin = field(['ORIGIN', 'org', 'o']);
        if (peek() === ',') next();
        const length = field(['LENGTH', 'len', 'l']);
        regions.set(name, { origin, length });
      }
      expect('}');
    } else if (t === 'SECTIONS') {
      expect('{');
      while (peek() !== '}') {
        const name = next();
        statements.push(peek() === '=' ? assignment(name) : output(name));
      }
      expect('}');
    } else if (peek() === '=') statements.push(assignment(t));
    else {
      p--;
      fail(`unsupported linker script command '${t}'`);
    }
  }
  return { entry, regions, statements };
}

function evalConst(e: ScriptExpr, fail: (msg: string) => never): number {
  if (e.k === 'num') return e.v;
  if (e.k === 'bin') return e.op === '+' ? evalConst(e.a, fail) + evalConst(e.b, fail) : evalConst(e.a, fail) - evalConst(e.b, fail);
  return fail('a MEMORY origin or length must be a number');
}

/** True when a section name matches a script pattern (`*` any run, `?` one character). */
export function matches(pattern: string, name: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === name;
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return re.test(name);
}

/** The script used without -T: code, read-only data, data and bss from `text`, in that order. */
export function defaultScript(text: number): string {
  return `ENTRY(_start)
SECTIONS
{
  . = 0x${text.toString(16)};
  .text : { *(.text.init) *(.text .text.*) }
  .rodata : { *(.rodata .rodata.* .srodata .srodata.*) }
  .data : { *(.data .data.* .sdata .sdata.* .init_array .init_array.* .fini_array .fini_array.* .preinit_array .preinit_array.*) }
  .bss : { *(.bss .bss.* .sbss .sbss.* COMMON) }
  _end = .;
}
`;
}
