/**
 * The global symbol table of a link: one definition per global name (a strong definition wins over
 * weak ones and over common symbols; two strong ones are an error naming both files), and the common
 * symbols, allocated in one `COMMON` input section that the script places (`*(COMMON)`).
 */
import { ShadowError } from '../base/errors.js';
import { STB_LOCAL, STB_WEAK, STT_SECTION } from '../asm/elf.js';
import { SHN_ABS, SHN_COMMON, SHN_UNDEF, type InputObject, type InputSection, type InputSymbol } from './objects.js';

export interface Definition {
  readonly obj: InputObject;
  readonly sym: InputSymbol;
  readonly weak: boolean;
}

export interface SymbolTable {
  readonly defs: Map<string, Definition>;
  /** The section holding the common symbols (size 0 when there are none). */
  readonly common: InputSection;
  /** Offsets of the common symbols in it. */
  readonly commonAt: ReadonlyMap<string, number>;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export function resolveSymbols(objects: readonly InputObject[]): SymbolTable {
  const defs = new Map<string, Definition>();
  const commons = new Map<string, { size: number; align: number }>();
  const duplicates: string[] = [];
  for (const obj of objects) {
    for (const sym of obj.symbols) {
      if (sym.bind === STB_LOCAL || sym.type === STT_SECTION || sym.shndx === SHN_UNDEF || sym.name === '') continue;
      if (sym.shndx === SHN_COMMON) {
        const old = commons.get(sym.name);
        // A common symbol's value is its alignment.
        commons.set(sym.name, { size: Math.max(old?.size ?? 0, sym.size), align: Math.max(old?.align ?? 1, sym.value || 1) });
        continue;
      }
      if (sym.shndx !== SHN_ABS && !obj.sections.has(sym.shndx)) continue; // defined in a section that is not loaded
      const weak = sym.bind === STB_WEAK;
      const old = defs.get(sym.name);
      if (!old || (old.weak && !weak)) defs.set(sym.name, { obj, sym, weak });
      else if (!old.weak && !weak) duplicates.push(`multiple definition of '${sym.name}': first in ${old.obj.file}, again in ${obj.file}`);
    }
  }
  if (duplicates.length) throw new ShadowError('LINK', duplicates.join('\n'));
  const common: InputSection = {
    file: '<common>',
    index: 0,
    name: 'COMMON',
    flags: 3,
    nobits: true,
    align: 1,
    size: 0,
    bytes: new Uint8Array(0),
    relocs: [],
    addr: 0,
    discarded: false,
  };
  const commonAt = new Map<string, number>();
  let size = 0;
  let align = 1;
  for (const [name, c] of commons) {
    if (defs.has(name)) continue;
    size = alignUp(size, c.align);
    commonAt.set(name, size);
    size += c.size;
    align = Math.max(align, c.align);
  }
  const sized: InputSection = { ...common, align, size, bytes: new Uint8Array(size) };
  return { defs, common: sized, commonAt };
}
