/**
 * The linker's view of one relocatable ELF32 object (from `shadowvm asm -c`, GNU as or gcc -c): its
 * allocated sections with their bytes and relocations, and its symbol table. Sections that are not
 * allocated (.comment, debug information, .riscv.attributes) play no part in the link.
 */
import { ShadowError } from '../base/errors.js';
import { parseElf, type ElfSymbol } from '../asm/elf-read.js';
import { RELA_SIZE, SHF_ALLOC, SHN_ABS, SHN_COMMON, SHN_UNDEF, SHT_NOBITS, SHT_RELA } from '../asm/elf.js';

export interface InputReloc {
  off: number;
  type: number;
  /** Index into the object's symbols (0 is the null symbol). */
  readonly sym: number;
  addend: number;
}

export interface InputSection {
  readonly file: string;
  /** Its index in the object's section headers. */
  readonly index: number;
  readonly name: string;
  readonly flags: number;
  readonly nobits: boolean;
  readonly align: number;
  size: number;
  /** Contents (zeros for NOBITS); relocations are applied here. */
  bytes: Uint8Array;
  readonly relocs: InputReloc[];
  /** Final address, set by the layout. */
  addr: number;
  /** Set when a `/DISCARD/` statement dropped it. */
  discarded: boolean;
}

export interface InputSymbol {
  readonly name: string;
  value: number;
  readonly size: number;
  readonly bind: number;
  readonly type: number;
  /** Section index, or SHN_UNDEF / SHN_ABS / SHN_COMMON. */
  readonly shndx: number;
}

export interface InputObject {
  readonly file: string;
  /** Allocated sections by section index. */
  readonly sections: ReadonlyMap<number, InputSection>;
  /** The symbol table; index 0 is the null symbol. */
  readonly symbols: readonly InputSymbol[];
}

export { SHN_ABS, SHN_COMMON, SHN_UNDEF };

/** Reads a relocatable object; `file` names it in messages. */
export function readObject(bytes: Uint8Array, file: string): InputObject {
  let elf;
  try {
    elf = parseElf(bytes, 'rel');
  } catch (err) {
    if (err instanceof ShadowError) throw new ShadowError('LINK', `${file}: ${err.message}`);
    throw err;
  }
  const sections = new Map<number, InputSection>();
  elf.sections.forEach((s, index) => {
    if (index === 0 || (s.flags & SHF_ALLOC) === 0) return;
    const nobits = s.type === SHT_NOBITS;
    sections.set(index, {
      file,
      index,
      name: s.name,
      flags: s.flags,
      nobits,
      align: Math.max(1, s.align),
      size: s.size,
      bytes: nobits ? new Uint8Array(s.size) : elf.contents(s).slice(),
      relocs: [],
      addr: 0,
      discarded: false,
    });
  });
  const symbols: InputSymbol[] = [{ name: '', value: 0, size: 0, bind: 0, type: 0, shndx: SHN_UNDEF }];
  for (const s of elf.symbols as ElfSymbol[])
    symbols.push({ name: s.name, value: s.value, size: s.size, bind: s.bind, type: s.type, shndx: s.shndx });
  for (const s of elf.sections) {
    if (s.type !== SHT_RELA) continue;
    const target = sections.get(s.info);
    if (!target) continue; // relocations of a section that is not loaded (debug information)
    const data = elf.contents(s);
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let o = 0; o + RELA_SIZE <= data.length; o += RELA_SIZE) {
      const info = v.getUint32(o + 4, true);
      const sym = info >>> 8;
      if (sym >= symbols.length)
        throw new ShadowError('LINK', `${file}: relocation in ${target.name} names symbol ${sym}, past the symbol table`);
      target.relocs.push({ off: v.getUint32(o, true), type: info & 0xff, sym, addend: v.getInt32(o + 8, true) });
    }
  }
  for (const sec of sections.values()) sec.relocs.sort((a, b) => a.off - b.off);
  return { file, sections, symbols };
}
