/**
 * ELF32 reader: bytes -> program image (by program headers) plus sections and symbols (for the
 * disassembler). Never crashes on malformed input: every problem is a ShadowError('ELF') that says
 * what is wrong.
 */
import type { ProgramImage, Segment } from '../../isa/image.js';
import { ShadowError } from '../base/errors.js';
import {
  EHDR_SIZE,
  ELFCLASS32,
  ELFDATA2LSB,
  EM_RISCV,
  ET_EXEC,
  ET_REL,
  PHDR_SIZE,
  PT_LOAD,
  SHDR_SIZE,
  SHN_ABS,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_STRTAB,
  SHT_SYMTAB,
  STT_FILE,
  STT_SECTION,
  SYM_SIZE,
  isElf,
} from './elf.js';

export interface ElfSegment {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly flags: number;
}

export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly align: number;
  readonly entsize: number;
}

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly bind: number;
  readonly type: number;
  readonly shndx: number;
  /** Name of its section, `*ABS*` or `*UND*`. */
  readonly section: string;
}

export interface ElfFile {
  readonly entry: number;
  readonly segments: readonly ElfSegment[];
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
  /** The bytes of a section (empty for NOBITS). */
  contents(s: ElfSection): Uint8Array;
}

/** Offsets of the fields of a program header, and of a section header (all 32-bit words). */
const PHDR_FIELDS = { type: 0, offset: 4, vaddr: 8, paddr: 12, filesz: 16, memsz: 20, flags: 24 } as const;
const SHDR_FIELDS = { nameAt: 0, type: 4, flags: 8, addr: 12, offset: 16, size: 20, link: 24, info: 28, align: 32, entsize: 36 } as const;

const bad = (message: string): ShadowError => new ShadowError('ELF', message);
const hex = (n: number): string => `0x${n.toString(16)}`;

function cString(bytes: Uint8Array, at: number, what: string): string {
  if (at >= bytes.length) throw bad(`${what}: name offset ${at} outside its string table`);
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  if (end >= bytes.length) throw bad(`${what}: unterminated name in its string table`);
  return new TextDecoder().decode(bytes.subarray(at, end));
}

/** Parses and checks an ELF32 little-endian RISC-V executable (or, with `kind` 'rel', a relocatable object). */
export function parseElf(bytes: Uint8Array, kind: 'exec' | 'rel' = 'exec'): ElfFile {
  if (!isElf(bytes)) throw bad('not an ELF file (bad magic)');
  if (bytes.length < EHDR_SIZE) throw bad(`truncated ELF header (${EHDR_SIZE} bytes needed, ${bytes.length} found)`);
  if (bytes[4] !== ELFCLASS32) throw bad(`not an ELF32 file (EI_CLASS ${bytes[4]})`);
  if (bytes[5] !== ELFDATA2LSB) throw bad(`not a little-endian ELF file (EI_DATA ${bytes[5]})`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => v.getUint16(o, true);
  const u32 = (o: number): number => v.getUint32(o, true);
  /** The 32-bit fields of a header at `o`, each read at its offset in the header. */
  const words = <K extends string>(o: number, layout: Readonly<Record<K, number>>): Record<K, number> =>
    Object.fromEntries(Object.entries<number>(layout).map(([k, at]) => [k, u32(o + at)])) as Record<K, number>;
  const machine = u16(18);
  if (machine !== EM_RISCV) throw bad(`not a RISC-V ELF file (e_machine ${machine})`);
  const type = u16(16);
  if (kind === 'exec' && type !== ET_EXEC) throw bad(`not an executable ELF file (e_type ${type})`);
  if (kind === 'rel' && type !== ET_REL) throw bad(`not a relocatable ELF object (e_type ${type})`);
  const entry = u32(24);
  const phoff = u32(28);
  const shoff = u32(32);
  const phentsize = u16(42);
  const phnum = u16(44);
  const shentsize = u16(46);
  const shnum = u16(48);
  const shstrndx = u16(50);

  if (phnum > 0 && phentsize !== PHDR_SIZE) throw bad(`bad program header size ${phentsize} (expected ${PHDR_SIZE})`);
  if (phnum > 0 && phoff + phnum * PHDR_SIZE > bytes.length) throw bad('program headers outside the file');
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * PHDR_SIZE;
    segments.push(words(o, PHDR_FIELDS));
  }
  const loads = segments.filter((s) => s.type === PT_LOAD);
  if (loads.length === 0 && kind === 'exec') throw bad('no loadable segment');
  loads.forEach((s, i) => {
    if (s.offset + s.filesz > bytes.length) {
      throw bad(`segment ${i} outside the file (offset ${hex(s.offset)}, ${s.filesz} bytes, file of ${bytes.length} bytes)`);
    }
    if (s.filesz > s.memsz) throw bad(`segment ${i} has a file size (${s.filesz}) larger than its memory size (${s.memsz})`);
    if (s.paddr + s.memsz > 0x1_0000_0000) throw bad(`segment ${i} at ${hex(s.paddr)} runs past the end of the address space`);
  });
  const sorted = [...loads].filter((s) => s.memsz > 0).sort((a, b) => a.paddr - b.paddr);
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1]!;
    if (p.paddr + p.memsz > sorted[i]!.paddr) throw bad(`segments at ${hex(p.paddr)} and ${hex(sorted[i]!.paddr)} overlap`);
  }

  let sections: ElfSection[] = [];
  if (shoff !== 0 && shnum > 0) {
    if (shentsize !== SHDR_SIZE) throw bad(`bad section header size ${shentsize} (expected ${SHDR_SIZE})`);
    if (shoff + shnum * SHDR_SIZE > bytes.length) throw bad('section headers outside the file');
    const raw = Array.from({ length: shnum }, (_, i) => {
      const o = shoff + i * SHDR_SIZE;
      return words(o, SHDR_FIELDS);
    });
    for (const [i, s] of raw.entries()) {
      if (s.type !== SHT_NOBITS && i > 0 && s.offset + s.size > bytes.length) throw bad(`section ${i} outside the file`);
    }
    const strs = raw[shstrndx];
    if (shstrndx === 0 || !strs || strs.type !== SHT_STRTAB) throw bad('bad section name table index');
    const names = bytes.subarray(strs.offset, strs.offset + strs.size);
    sections = raw.map((s, i) => ({ ...s, name: i === 0 ? '' : cString(names, s.nameAt, `section ${i}`) }));
  }
  const contents = (s: ElfSection): Uint8Array => (s.type === SHT_NOBITS ? new Uint8Array(0) : bytes.subarray(s.offset, s.offset + s.size));
  return { entry, segments, sections, symbols: readSymbols(sections, contents), contents };
}

function readSymbols(sections: readonly ElfSection[], contents: (s: ElfSection) => Uint8Array): ElfSymbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return [];
  if (symtab.entsize !== SYM_SIZE) throw bad(`bad symbol size ${symtab.entsize} (expected ${SYM_SIZE})`);
  const strs = sections[symtab.link];
  if (!strs || strs.type !== SHT_STRTAB) throw bad('symbol table without a string table');
  const names = contents(strs);
  const data = contents(symtab);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: ElfSymbol[] = [];
  for (let o = SYM_SIZE; o + SYM_SIZE <= data.length; o += SYM_SIZE) {
    const info = v.getUint8(o + 12);
    const shndx = v.getUint16(o + 14, true);
    const section = shndx === SHN_UNDEF ? '*UND*' : shndx === SHN_ABS ? '*ABS*' : (sections[shndx]?.name ?? '*UND*');
    out.push({
      name: cString(names, v.getUint32(o, true), 'symbol'),
      value: v.getUint32(o + 4, true),
      size: v.getUint32(o + 8, true),
      bind: info >> 4,
      type: info & 15,
      shndx,
      section,
    });
  }
  return out;
}

/** The symbols worth naming addresses by: defined, named labels (no section, file or mapping symbols). */
export function addressSymbols(symbols: readonly ElfSymbol[]): ElfSymbol[] {
  return symbols.filter(
    (s) => s.name !== '' && !s.name.startsWith('$') && s.type !== STT_SECTION && s.type !== STT_FILE && s.section !== '*UND*',
  );
}

/** Image symbols are listed by address, then name. */
export const byAddress = (a: { name: string; addr: number }, b: { name: string; addr: number }): number =>
  a.addr - b.addr || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The program image of an ELF executable: its PT_LOAD segments at their physical addresses. */
export function readElf(bytes: Uint8Array): ProgramImage {
  const elf = parseElf(bytes);
  const segments: Segment[] = elf.segments
    .filter((s) => s.type === PT_LOAD && s.memsz > 0)
    .map((s) => {
      const data = bytes.slice(s.offset, s.offset + s.filesz);
      return s.memsz > s.filesz ? { addr: s.paddr, bytes: data, zeroFill: s.memsz - s.filesz } : { addr: s.paddr, bytes: data };
    });
  const symbols = addressSymbols(elf.symbols)
    .filter((s) => s.section !== '*ABS*')
    .map((s) => ({ name: s.name, addr: s.value }))
    .sort(byAddress);
  return { entry: elf.entry, segments, symbols };
}
