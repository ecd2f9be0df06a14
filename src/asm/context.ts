/**
 * The assembler's state across its two passes: sections and location counters, symbols (labels,
 * `.equ`/`.set` with their redefinitions, numeric local labels), expression evaluation, emission and
 * diagnostics. Pass 1 only measures (every size is decided there); pass 2 computes values and writes.
 */
import type { Expr, Statement } from './ast.js';
import { evaluate, type Resolver, type Value } from './expr.js';
import { LineError } from './parse.js';
import { Section, outputOf } from './sections.js';
import type { Diagnostic } from './diagnostics.js';
import { parseRegister } from './registers.js';

export interface Item {
  readonly stmt: Statement;
  /** 1-based source line. */
  readonly line: number;
  /** File of the line, when it is not the main file (an `.include`d one). */
  readonly file?: string;
  /** Text shown under a message, when it is not the main file's line (included files, macro uses). */
  readonly source?: string;
  /** Where a statement from a macro body came from, appended to its messages. */
  readonly note?: string;
  /** Column every message of the statement points at (a macro's use), instead of the error's own. */
  readonly col?: number;
  /** Ordinal of the statement in the file, used to find `.set` versions and numeric labels. */
  readonly index: number;
}

interface LabelDef {
  readonly kind: 'label';
  readonly sec: Section;
  readonly off: number;
  readonly line: number;
}
interface EquDef {
  readonly item: Item;
  readonly index: number;
  readonly e: Expr;
  readonly sec: Section;
  readonly off: number;
  readonly line: number;
  readonly col: number;
}
type SymbolDef = LabelDef | { readonly kind: 'equ'; readonly defs: EquDef[] };

interface Place {
  readonly index: number;
  readonly sec: Section;
  readonly off: number;
}

const NOP = 0x00000013;

/** A conditional branch seen in pass 1, checked for range by the relaxation loop (assembler.ts). */
export interface BranchSite {
  readonly index: number;
  readonly sec: Section;
  readonly off: number;
  readonly e: Expr;
}

export class Asm {
  pass: 1 | 2 = 1;
  readonly sections: Section[] = [];
  private readonly byName = new Map<string, Section>();
  cur!: Section;
  readonly symbols = new Map<string, SymbolDef>();
  readonly locals = new Map<string, Place[]>();
  readonly globals = new Set<string>();
  /** Symbols declared `.weak` (global, with weak binding). */
  readonly weak = new Set<string>();
  /** Conditional branches of pass 1 (relaxation candidates). */
  readonly branches: BranchSite[] = [];
  /** Statements (by index) that had an error in pass 1, with the bytes they took there: pass 2 skips them. */
  readonly failed = new Map<number, number>();
  /** `auipc rd, %pcrel_hi(x)` sites, by section and offset, for `%pcrel_lo(label)`. */
  readonly pcrelHi = new Map<Section, Map<number, { e: Expr; index: number }>>();
  readonly diagnostics: Diagnostic[] = [];
  /** The statement being assembled. */
  item!: Item;
  /** Where `.` is: the start of the statement, or of the data item being emitted. */
  dotOff = 0;
  optionDepth = 0;
  private depth = 0;

  constructor(
    readonly file: string,
    readonly lines: readonly string[],
    /** Addresses of symbols defined outside the file (absolute values). */
    readonly externs: ReadonlyMap<string, number> = new Map(),
    /** Conditional branches (by statement index) to assemble as an inverted branch over a `jal`. */
    readonly longBranches: ReadonlySet<number> = new Set(),
  ) {
    for (const name of ['.text', '.data', '.bss']) this.section(name, 1);
  }

  errorCount = 0;

  // ---- diagnostics

  /** Records a message at the current statement (or, with `line`, at a line of the main file). */
  report(severity: 'error' | 'warning', col: number, message: string, line?: number): void {
    if (severity === 'error') this.errorCount++;
    const it = this.item;
    const own = line === undefined;
    const at = own ? it.line : line;
    this.diagnostics.push({
      file: (own ? it.file : undefined) ?? this.file,
      line: at,
      col: Math.max(1, col),
      severity,
      message: own && it.note ? `${message} (${it.note})` : message,
      source: (own ? it.source : undefined) ?? this.lines[at - 1] ?? '',
      order: own ? it.index : -1,
    });
  }

  warn(col: number, message: string): void {
    if (this.pass === 2) this.report('warning', col, message);
  }

  // ---- sections

  /** The section of that name, created on first use. */
  section(name: string, col: number): Section {
    let s = this.byName.get(name);
    if (!s) {
      const out = outputOf(name);
      if (!out)
        throw new LineError(
          col,
          `unsupported section '${name}' (use .text, .rodata, .srodata, .data, .sdata, .init_array, .bss, .sbss or their .name subsections)`,
        );
      s = new Section(name, out);
      this.byName.set(name, s);
      this.sections.push(s);
    }
    return s;
  }

  startPass(pass: 1 | 2): void {
    this.pass = pass;
    for (const s of this.sections) s.off = 0;
    this.cur = this.byName.get('.text')!;
    this.optionDepth = 0;
  }

  // ---- symbols

  defineLabel(name: string, col: number): void {
    if (/^\d+$/.test(name)) {
      if (this.pass === 1) {
        const list = this.locals.get(name) ?? [];
        list.push({ index: this.item.index, sec: this.cur, off: this.cur.off });
        this.locals.set(name, list);
      }
      return;
    }
    if (this.pass === 2) return;
    const old = this.symbols.get(name);
    if (old) {
      const where = old.kind === 'label' ? ` (first defined on line ${old.line})` : '';
      throw new LineError(col, `duplicate label '${name}'${where}`);
    }
    this.symbols.set(name, { kind: 'label', sec: this.cur, off: this.cur.off, line: this.item.line });
  }

  defineEqu(name: string, e: Expr, col: number): void {
    if (this.pass === 2) return;
    const old = this.symbols.get(name);
    if (old?.kind === 'label') throw new LineError(col, `'${name}' is already defined as a label on line ${old.line}`);
    const def: EquDef = { item: this.item, index: this.item.index, e, sec: this.cur, off: this.cur.off, line: this.item.line, col };
    if (old) old.defs.push(def);
    else this.symbols.set(name, { kind: 'equ', defs: [def] });
  }

  /**
   * After pass 2: every `.equ`/`.set` symbol's final value must be computable (it goes into the
   * symbol table even when nothing uses it); errors are reported at its last definition.
   */
  checkSymbols(): void {
    for (const [name, s] of this.symbols) {
      if (s.kind !== 'equ') continue;
      const def = s.defs[s.defs.length - 1]!;
      try {
        this.valueAt(def, def.col, name);
      } catch (err) {
        if (!(err instanceof LineError)) throw err;
        this.item = def.item;
        this.report('error', def.item.col ?? def.col, err.message);
      }
    }
  }

  /** Address (pass 2) of a label, or undefined. */
  labelAddress(name: string): number | undefined {
    const s = this.symbols.get(name);
    if (s?.kind === 'label') return s.sec.base + s.off;
    if (s?.kind === 'equ') {
      const v = this.valueAt(s.defs[s.defs.length - 1]!, 0, name);
      return v === undefined ? undefined : Number(BigInt.asUintN(32, v.v));
    }
    return undefined;
  }

  /** Address of the instruction word about to be written (pass 2). */
  pc(): number {
    return this.cur.base + this.cur.off;
  }

  /** Records a conditional branch at the current location (pass 1); true when it is to be long. */
  noteBranch(e: Expr): boolean {
    if (this.pass === 1) this.branches.push({ index: this.item.index, sec: this.cur, off: this.cur.off, e });
    return this.longBranches.has(this.item.index);
  }

  /**
   * GNU's rule: a conditional branch stays short only when its target is a non-weak label of the same
   * input section within -4096..4095 bytes; anything else (another section, an absolute address, an
   * external or weak symbol) becomes an inverted branch over a `jal`.
   */
  needsLongForm(b: BranchSite): boolean {
    let v: Value | undefined;
    try {
      v = this.valueAtPlace(b.e, b.index, b.sec, b.off);
    } catch {
      return false;
    }
    if (v === undefined) return false;
    if (v.sec !== b.sec) return true;
    const sym = b.e.k === 'sym' ? b.e.name : b.e.k === 'bin' && b.e.a.k === 'sym' ? b.e.a.name : undefined;
    if (sym !== undefined && this.weak.has(sym)) return true;
    const d = v.v - BigInt(b.off);
    return d < -4096n || d > 4095n;
  }

  /** Records `auipc rd, %pcrel_hi(e)` at the current location, for `%pcrel_lo` (pass 1). */
  notePcrelHi(e: Expr): void {
    if (this.pass !== 1) return;
    let sites = this.pcrelHi.get(this.cur);
    if (!sites) this.pcrelHi.set(this.cur, (sites = new Map()));
    sites.set(this.cur.off, { e, index: this.item.index });
  }

  // ---- evaluation

  private place(): Place {
    return { index: this.item.index, sec: this.cur, off: this.dotOff };
  }

  private located(sec: Section, off: number): Value {
    return this.pass === 1 ? { sec, v: BigInt(off) } : { sec: undefined, v: BigInt(sec.base + off) };
  }

  /** Value of one definition of a `.equ`/`.set` symbol; errors inside it point at the use (`col`). */
  private valueAt(def: EquDef, col: number, name = ''): Value | undefined {
    if (this.depth >= 64) throw new LineError(col, `symbol '${name}' is defined in terms of itself`);
    this.depth++;
    try {
      return evaluate(def.e, this.resolver(def));
    } catch (err) {
      if (!(err instanceof LineError) || this.depth > 1) throw err;
      throw new LineError(
        col,
        err.message.includes('(in the value of') || err.message.includes('in terms of itself')
          ? err.message
          : `${err.message} (in the value of '${name}')`,
      );
    } finally {
      this.depth--;
    }
  }

  private resolver(at: Place): Resolver {
    return {
      dot: () => this.located(at.sec, at.off),
      symbol: (name, col) => {
        const s = this.symbols.get(name);
        if (!s) {
          const ext = this.externs.get(name);
          if (ext !== undefined) return { sec: undefined, v: BigInt(ext) };
          if (this.pass === 1) return undefined;
          if (parseRegister(name) !== undefined) throw new LineError(col, `expected an immediate, found register '${name}'`);
          throw new LineError(col, `undefined label '${name}'`);
        }
        if (s.kind === 'label') return this.located(s.sec, s.off);
        let def: EquDef | undefined;
        for (const d of s.defs) if (d.index < at.index) def = d;
        def ??= this.pass === 2 ? s.defs[s.defs.length - 1] : undefined;
        return def === undefined ? undefined : this.valueAt(def, col, name);
      },
      local: (n, dir, col) => {
        const list = this.locals.get(n) ?? [];
        // Definitions are in statement order: find the first one after `at`.
        let lo = 0;
        let hi = list.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (list[mid]!.index <= at.index) lo = mid + 1;
          else hi = mid;
        }
        const p = dir === 'b' ? list[lo - 1] : list[lo];
        if (p) return this.located(p.sec, p.off);
        if (this.pass === 2) throw new LineError(col, `undefined local label '${n}${dir}'`);
        return undefined;
      },
    };
  }

  /** Evaluates at the current place; undefined in pass 1 when it depends on what follows. */
  tryValue(e: Expr): Value | undefined {
    return evaluate(e, this.resolver(this.place()));
  }

  /** Evaluates at another statement's place (for `%pcrel_lo`). */
  valueAtPlace(e: Expr, index: number, sec: Section, off: number): Value | undefined {
    return evaluate(e, this.resolver({ index, sec, off }));
  }

  /** A value that must be an absolute constant already in pass 1 (sizes, `li`, `.align`). */
  constant(e: Expr, col: number, what: string): bigint {
    const v = this.tryValue(e);
    if (v === undefined || v.sec !== undefined) {
      throw new LineError(col, `${what} must be a constant known at this point`);
    }
    return v.v;
  }

  /** The value of an expression in pass 2 (every label has its address then); 0 in pass 1. */
  value(e: Expr): bigint {
    if (this.pass === 1) return 0n;
    return this.tryValue(e)!.v;
  }

  // ---- emission

  /** Notes that code ('x') or data ('d') starts here, for the mapping symbols of code sections. */
  mark(kind: 'x' | 'd'): void {
    const s = this.cur;
    if (this.pass !== 1 || !s.code || s.mapState === kind) return;
    s.mapState = kind;
    s.addMapping(s.off, kind);
  }

  private write(bytes: ArrayLike<number>): void {
    const s = this.cur;
    if (this.pass === 2) {
      if (s.bytes) s.bytes.set(bytes, s.off);
      else if (Array.prototype.some.call(bytes, (b: number) => b !== 0)) throw new LineError(0, `section ${s.name} holds no data`);
    }
    s.off += bytes.length;
  }

  /** One instruction word; `make` runs in pass 2 only. */
  word(make: () => number, col: number): void {
    if (this.cur.nobits) throw new LineError(col, `instructions are not allowed in ${this.cur.name}`);
    if (this.pass === 1) {
      this.mark('x');
      this.cur.off += 4;
      return;
    }
    const w = make();
    this.write([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff]);
  }

  /** `width` little-endian bytes of a value; `make` runs in pass 2 only. */
  data(width: number, make: () => bigint): void {
    this.mark('d');
    if (this.pass === 1) {
      this.cur.off += width;
      return;
    }
    let v = BigInt.asUintN(width * 8, make());
    const out: number[] = [];
    for (let i = 0; i < width; i++, v >>= 8n) out.push(Number(v & 0xffn));
    this.write(out);
  }

  bytes(b: Uint8Array): void {
    this.mark('d');
    if (this.pass === 1) this.cur.off += b.length;
    else this.write(b);
  }

  fill(count: number, byte: number): void {
    this.mark('d');
    if (this.pass === 1 || (this.cur.nobits && byte === 0)) {
      this.cur.off += count;
      return;
    }
    this.write(new Uint8Array(count).fill(byte));
  }

  /** GNU's code padding: a zero byte if odd, one 2-byte c.nop if needed, then 4-byte nops. */
  nops(count: number): void {
    if (this.pass === 1 && count % 2 === 1 && this.cur.code) {
      this.cur.addMapping(this.cur.off, 'd');
      this.cur.addMapping(this.cur.off + 1, 'x');
    }
    if (this.pass === 1 || this.cur.nobits) {
      this.cur.off += count;
      return;
    }
    const out: number[] = [];
    if (count % 2 === 1) out.push(0);
    if ((count - out.length) % 4 === 2) out.push(0x01, 0x00);
    while (out.length < count) out.push(NOP & 0xff, 0, 0, 0);
    this.write(out);
  }

  /**
   * `.align`-style padding to 2**pow bytes. In code sections without a fill value GNU pads with nops
   * and does nothing for alignments up to 4 (instructions are 4-byte units there already).
   */
  align(pow: number, fill: number | undefined, max: number | undefined): void {
    const a = 2 ** pow;
    const s = this.cur;
    s.align = Math.max(s.align, a);
    if (s.code && fill === undefined && a <= 4) return;
    this.mark(s.code && fill === undefined ? 'x' : 'd');
    const pad = (a - (s.off % a)) % a;
    if (pad === 0 || (max !== undefined && pad > max)) return;
    if (s.code && fill === undefined) this.nops(pad);
    else this.fill(pad, fill ?? 0);
  }

  /** End of a pass: code sections are padded to their alignment, as GNU as does. */
  finishPass(): void {
    for (const s of this.sections) {
      this.cur = s;
      if (s.code) {
        const pad = (s.align - (s.off % s.align)) % s.align;
        if (pad) {
          this.mark('x');
          this.nops(pad);
        }
      }
      if (this.pass === 1) s.size = s.off;
    }
  }
}
