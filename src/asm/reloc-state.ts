/** The relocations of a relocatable object (`asm -c`), recorded in pass 2 from the values symbols take. */
import type { Expr } from './ast.js';
import type { Value } from './expr.js';
import type { Section } from './sections.js';
import { AsmSymbols } from './symbols.js';
import { ExternSymbol, type Reloc, type RelocTarget, type RelocType } from './relocs.js';

export abstract class AsmRelocs extends AsmSymbols {
  /** Relocations of an object (pass 2). */
  readonly relocs: Reloc[] = [];

  /** The symbol an expression is `sym`, `sym + n` or `sym - n` of, if any. */
  baseSymbol(e: Expr): string | undefined {
    if (e.k === 'sym') return e.name;
    if (e.k === 'bin' && (e.op === '+' || e.op === '-') && e.a.k === 'sym' && e.b.k === 'num') return e.a.name;
    if (e.k === 'bin' && e.op === '+' && e.b.k === 'sym' && e.a.k === 'num') return e.b.name;
    return undefined;
  }

  /** True when references to the symbol of `e` must stay relocations even within its section (global or weak). */
  isPreemptible(e: Expr): boolean {
    const name = this.baseSymbol(e);
    return name !== undefined && (this.globals.has(name) || this.weak.has(name));
  }

  /**
   * Records a relocation of `type` at the current location (plus `delta`) for value `v` (pass 2). A named
   * label is referred to by name, as GNU as does; `.L` and numeric labels by their section and offset.
   */
  addReloc(type: RelocType, v: Value, e: Expr | undefined, delta = 0): void {
    if (this.pass !== 2) return;
    let target: RelocTarget;
    let addend = Number(BigInt.asIntN(32, v.v));
    if (v.sec instanceof ExternSymbol) target = { kind: 'symbol', name: v.sec.name };
    else {
      const name = e && this.baseSymbol(e);
      const def = name === undefined ? undefined : this.symbols.get(name);
      if (name !== undefined && def?.kind === 'label' && !name.startsWith('.L')) {
        target = { kind: 'symbol', name };
        addend -= def.off;
      } else target = { kind: 'section', sec: v.sec as Section };
    }
    this.relocs.push({ sec: this.cur, off: this.cur.off + delta, type, target, addend });
  }

  /** Records a relocation against the location `off` of `sec` itself (a `%pcrel_lo` to its `auipc`). */
  addLabelReloc(type: RelocType, sec: Section, off: number, delta = 0): void {
    if (this.pass !== 2) return;
    this.relocs.push({ sec: this.cur, off: this.cur.off + delta, type, target: { kind: 'label', sec, off }, addend: 0 });
  }
}
