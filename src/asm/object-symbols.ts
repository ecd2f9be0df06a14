/**
 * The symbol table of a relocatable object, in GNU `as`'s order: section symbols, mapping symbols, the
 * local named labels, a `.L0 ` symbol at each label a relocation refers to, then the globals (defined,
 * then undefined). Returns the indices that relocations need.
 */
import type { Asm } from './context.js';
import { SHN_ABS, SHN_UNDEF, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_NOTYPE, STT_SECTION } from './elf.js';
import { mappingSymbolName } from './elf-file.js';
import type { Section } from './sections.js';

export interface Sym {
  readonly name: string;
  readonly value: number;
  readonly shndx: number;
  readonly bind: number;
  readonly type: number;
}

export interface ObjectSymbols {
  readonly locals: Sym[];
  readonly globals: Sym[];
  /** Symbol-table index of each named symbol. */
  readonly named: Map<string, number>;
  /** Symbol-table index of each section's section symbol. */
  readonly sectionSym: Map<Section, number>;
  /** Symbol-table index of the `.L0 ` symbol at `SECTION_INDEX:OFFSET`. */
  readonly labelSym: Map<string, number>;
}

export function objectSymbols(a: Asm, secIndex: ReadonlyMap<Section, number>): ObjectSymbols {
  const locals: Sym[] = [];
  const globals: Sym[] = [];
  const sectionSym = new Map<Section, number>();
  for (const s of a.sections) {
    sectionSym.set(s, locals.length + 1);
    locals.push({ name: '', value: 0, shndx: secIndex.get(s)!, bind: STB_LOCAL, type: STT_SECTION });
  }
  for (const s of a.sections) {
    for (const m of s.mapping) {
      const name = mappingSymbolName(m);
      locals.push({ name, value: m.off, shndx: secIndex.get(s)!, bind: STB_LOCAL, type: STT_NOTYPE });
    }
  }
  const named = new Map<string, number>();
  const defined: { name: string; sym: Sym }[] = [];
  for (const [name, def] of a.symbols) {
    if (name.startsWith('.L')) continue;
    const weak = a.weak.has(name);
    const global = weak || a.globals.has(name);
    let value: number;
    let shndx: number;
    if (def.kind === 'label') {
      value = def.off;
      shndx = secIndex.get(def.sec)!;
    } else {
      const v = a.tryValue({ k: 'sym', name, col: 0 });
      if (v === undefined) continue;
      const sec = v.sec as Section | undefined;
      if (sec !== undefined && !secIndex.has(sec)) continue; // an alias of an undefined symbol
      value = Number(BigInt.asUintN(32, v.v));
      shndx = sec ? secIndex.get(sec)! : SHN_ABS;
    }
    defined.push({ name, sym: { name, value, shndx, bind: weak ? STB_WEAK : global ? STB_GLOBAL : STB_LOCAL, type: STT_NOTYPE } });
  }
  for (const d of defined.filter((d) => d.sym.bind === STB_LOCAL)) {
    named.set(d.name, locals.length + 1);
    locals.push(d.sym);
  }
  const labelSym = new Map<string, number>();
  for (const r of a.relocs) {
    if (r.target.kind !== 'label') continue;
    const key = `${secIndex.get(r.target.sec)}:${r.target.off}`;
    if (labelSym.has(key)) continue;
    labelSym.set(key, locals.length + 1);
    locals.push({ name: '.L0 ', value: r.target.off, shndx: secIndex.get(r.target.sec)!, bind: STB_LOCAL, type: STT_NOTYPE });
  }
  const firstGlobal = locals.length + 1;
  for (const d of defined.filter((d) => d.sym.bind !== STB_LOCAL)) {
    named.set(d.name, firstGlobal + globals.length);
    globals.push(d.sym);
  }
  const undefinedNames = new Set<string>([...a.externSymbols.keys(), ...[...a.globals, ...a.weak].filter((n) => !a.symbols.has(n))]);
  for (const name of undefinedNames) {
    if (named.has(name)) continue;
    named.set(name, firstGlobal + globals.length);
    globals.push({ name, value: 0, shndx: SHN_UNDEF, bind: a.weak.has(name) ? STB_WEAK : STB_GLOBAL, type: STT_NOTYPE });
  }

  return { locals, globals, named, sectionSym, labelSym };
}
