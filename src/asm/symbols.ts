/**
 * Symbols across the two passes (labels, `.equ`/`.set` with their redefinitions, numeric local labels),
 * branch and `%pcrel_hi` sites, and expression evaluation.
 */
import type { Expr } from './ast.js';
import { evaluate, type Resolver, type Value } from './expr.js';
import { LineError } from './line-error.js';
import type { Section } from './sections.js';
import { parseRegister } from './registers.js';
import { AsmState, type Item } from './state.js';
import { ExternSymbol } from './relocs.js';

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

/** A conditional branch seen in pass 1, checked for range by the relaxation loop (assembler.ts). */
export interface BranchSite {
  readonly index: number;
  readonly sec: Section;
  readonly off: number;
  readonly e: Expr;
}

export abstract class AsmSymbols extends AsmState {
  readonly symbols = new Map<string, SymbolDef>();
  readonly locals = new Map<string, Place[]>();
  readonly globals = new Set<string>();
  /** Symbols declared `.weak` (global, with weak binding). */
  readonly weak = new Set<string>();
  /** Conditional branches of pass 1 (relaxation candidates). */
  readonly branches: BranchSite[] = [];
  /** `auipc rd, %pcrel_hi(x)` sites, by section and offset, for `%pcrel_lo(label)`. */
  readonly pcrelHi = new Map<Section, Map<number, { e: Expr; index: number }>>();
  private depth = 0;
  /** Symbols used but not defined, in an object (pass 2). */
  readonly externSymbols = new Map<string, ExternSymbol>();

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
    // In an object, a target still unknown after pass 1 is in another file.
    if (v === undefined) return this.relocatable;
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
    return this.pass === 1 || this.relocatable ? { sec, v: BigInt(off) } : { sec: undefined, v: BigInt(sec.base + off) };
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
          if (this.relocatable) return { sec: this.externSymbol(name), v: 0n };
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
    // The common cases, without a resolver: a number, a label (what the resolver gives for one).
    if (e.k === 'num') return { sec: undefined, v: e.v };
    if (e.k === 'sym' && e.name !== '.') {
      const s = this.symbols.get(e.name);
      if (s?.kind === 'label') return this.located(s.sec, s.off);
    }
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
    const v = this.tryValue(e)!;
    if (v.sec !== undefined) {
      throw new LineError(
        0,
        'this value is an address only the linker knows; an object file holds addresses only in .word, %hi/%lo, %pcrel_hi/%pcrel_lo, branches, jumps, call/tail and la/lla',
      );
    }
    return v.v;
  }

  // ---- symbols an object uses but does not define

  private externSymbol(name: string): ExternSymbol {
    let s = this.externSymbols.get(name);
    if (!s) this.externSymbols.set(name, (s = new ExternSymbol(name)));
    return s;
  }
}
