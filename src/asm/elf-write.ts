/**
 * ELF32 little-endian RISC-V executable writer: ELF header, one PT_LOAD program header per non-empty
 * output section, section headers (.text .rodata .data .bss .riscv.attributes .symtab .strtab
 * .shstrtab) and a symbol table with the program's labels and constants (locals first, as ELF
 * requires) and GNU's mapping symbols, so that binutils disassemble it as they do GNU's output. The file
 * itself is written by elf-file.ts, which the object writer (object.ts) shares.
 */
import type { AssembleResult } from './assembler.js';
import {
  EHDR_SIZE,
  ET_EXEC,
  PF_R,
  PF_W,
  PF_X,
  PHDR_SIZE,
  PT_LOAD,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STT_NOTYPE,
} from './elf.js';
import { attributesSection, mappingSymbolName, symbolSections, writeElfFile, type OutSection, type OutSymbol } from './elf-file.js';

const isExec = (s: Executable['sections'][number]): boolean => s.exec ?? s.name === '.text';
const isWrite = (s: Executable['sections'][number]): boolean => s.write ?? (s.name === '.data' || s.name === '.bss');

/** What an executable is made of: an assembled program (AssembleResult) or a linked one. */
export interface Executable {
  readonly image: { readonly entry: number };
  readonly sections: readonly {
    readonly name: string;
    readonly addr: number;
    readonly size: number;
    readonly align: number;
    /** Contents; undefined for a section with no bytes in the file (.bss). */
    readonly bytes: Uint8Array | undefined;
    readonly mapping: AssembleResult['sections'][number]['mapping'];
    /** Flags, when not given by the name (.text executable, .data and .bss writable). */
    readonly exec?: boolean;
    readonly write?: boolean;
  }[];
  readonly symbols: readonly { readonly name: string; readonly value: number; readonly section: string; readonly global: boolean }[];
}

/** The ELF executable of an assembled or linked program. */
export function toElf(r: Executable): Uint8Array {
  const loaded = r.sections.filter((s) => s.size > 0);
  const indexOf = new Map(loaded.map((s, i) => [s.name, i + 1]));
  const sections: OutSection[] = loaded.map((s) => ({
    name: s.name,
    type: s.bytes === undefined ? SHT_NOBITS : SHT_PROGBITS,
    flags: SHF_ALLOC | (isExec(s) ? SHF_EXECINSTR : 0) | (isWrite(s) ? SHF_WRITE : 0),
    addr: s.addr,
    size: s.size,
    link: 0,
    info: 0,
    align: s.align,
    entsize: 0,
    bytes: s.bytes,
  }));
  sections.push(attributesSection());
  // Symbols: locals (labels, constants, mapping symbols), then globals.
  const mapping = r.sections.flatMap((s) =>
    s.mapping.map((m) => ({ name: mappingSymbolName(m), value: m.addr, section: s.name, global: false })),
  );
  const syms = [...r.symbols, ...mapping]
    .sort((a, b) => Number(a.global) - Number(b.global))
    .map((s): OutSymbol => ({
      name: s.name,
      value: s.value,
      shndx: s.section === '*ABS*' ? SHN_ABS : (indexOf.get(s.section) ?? SHN_ABS),
      bind: s.global ? STB_GLOBAL : STB_LOCAL,
      type: STT_NOTYPE,
    }));
  sections.push(...symbolSections(syms, sections.length + 1));
  const { out, offsets } = writeElfFile({ type: ET_EXEC, entry: r.image.entry, phnum: loaded.length }, sections);
  const v = new DataView(out.buffer);
  loaded.forEach((s, i) => {
    const nobits = s.bytes === undefined;
    const o = EHDR_SIZE + PHDR_SIZE * i;
    v.setUint32(o, PT_LOAD, true);
    v.setUint32(o + 4, nobits ? 0 : offsets[i]!, true);
    v.setUint32(o + 8, s.addr, true);
    v.setUint32(o + 12, s.addr, true);
    v.setUint32(o + 16, nobits ? 0 : s.size, true);
    v.setUint32(o + 20, s.size, true);
    v.setUint32(o + 24, PF_R | (isExec(s) ? PF_X : 0) | (isWrite(s) ? PF_W : 0), true);
    v.setUint32(o + 28, Math.max(1, s.align), true);
  });
  return out;
}
