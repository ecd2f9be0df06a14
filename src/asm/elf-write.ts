/**
 * ELF32 little-endian RISC-V executable writer: ELF header, one PT_LOAD program header per non-empty
 * output section, section headers (.text .rodata .data .bss .riscv.attributes .symtab .strtab
 * .shstrtab) and a symbol table with the program's labels and constants (locals first, as ELF
 * requires) and GNU's mapping symbols, so that binutils disassemble it as they do GNU's output.
 */
import type { AssembleResult } from './assembler.js';
import {
  EHDR_SIZE,
  ELFCLASS32,
  ELFDATA2LSB,
  ELF_MAGIC,
  EM_RISCV,
  ET_EXEC,
  EV_CURRENT,
  PF_R,
  PF_W,
  PF_X,
  PHDR_SIZE,
  PT_LOAD,
  SHDR_SIZE,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STT_NOTYPE,
  SYM_SIZE,
} from './elf.js';

export class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;
  private readonly index = new Map<string, number>();
  add(s: string): number {
    if (s === '') return 0;
    const known = this.index.get(s);
    if (known !== undefined) return known;
    const bytes = new TextEncoder().encode(s + '\0');
    const at = this.size;
    this.parts.push(bytes);
    this.size += bytes.length;
    this.index.set(s, at);
    return at;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

interface SectionOut {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
  bytes?: Uint8Array;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;
const isExec = (s: Executable['sections'][number]): boolean => s.exec ?? s.name === '.text';
const isWrite = (s: Executable['sections'][number]): boolean => s.write ?? (s.name === '.data' || s.name === '.bss');

/** The architecture string GNU as records for `-march=rv32im_zicsr`. */
export const ARCH_STRING = 'rv32i2p1_m2p0_zicsr2p0_zmmul1p0';
export const SHT_RISCV_ATTRIBUTES = 0x70000003;

/** `.riscv.attributes`: format 'A', vendor "riscv", file attributes with Tag_RISCV_arch (5). */
export function attributes(): Uint8Array {
  const arch = new TextEncoder().encode(ARCH_STRING + '\0');
  const fileLen = 1 + 4 + 1 + arch.length;
  const vendorLen = 4 + 6 + fileLen;
  const out = new Uint8Array(1 + vendorLen);
  const v = new DataView(out.buffer);
  out[0] = 0x41;
  v.setUint32(1, vendorLen, true);
  out.set(new TextEncoder().encode('riscv\0'), 5);
  out[11] = 1;
  v.setUint32(12, fileLen, true);
  out[16] = 5;
  out.set(arch, 17);
  return out;
}

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
  const shstr = new StringTable();
  const strtab = new StringTable();
  const sections: SectionOut[] = [];
  let offset = EHDR_SIZE + PHDR_SIZE * loaded.length;
  const indexOf = new Map<string, number>();
  for (const s of loaded) {
    const nobits = s.bytes === undefined;
    const flags = SHF_ALLOC | (isExec(s) ? SHF_EXECINSTR : 0) | (isWrite(s) ? SHF_WRITE : 0);
    if (!nobits) offset = alignUp(offset, Math.max(1, s.align));
    indexOf.set(s.name, sections.length + 1);
    sections.push({
      name: s.name,
      type: nobits ? SHT_NOBITS : SHT_PROGBITS,
      flags,
      addr: s.addr,
      offset,
      size: s.size,
      link: 0,
      info: 0,
      align: s.align,
      entsize: 0,
      bytes: s.bytes,
    });
    if (!nobits) offset += s.size;
  }
  const attr = attributes();
  sections.push({
    name: '.riscv.attributes',
    type: SHT_RISCV_ATTRIBUTES,
    flags: 0,
    addr: 0,
    offset,
    size: attr.length,
    link: 0,
    info: 0,
    align: 1,
    entsize: 0,
    bytes: attr,
  });
  offset += attr.length;
  // Symbols: null, locals (labels, constants, mapping symbols), then globals.
  const mapping = r.sections.flatMap((s) =>
    s.mapping.map((m) => ({
      name: m.kind === 'd' ? '$d' : m.arch ? '$x' + ARCH_STRING : '$x',
      value: m.addr,
      section: s.name,
      global: false,
    })),
  );
  const syms = [...r.symbols, ...mapping].sort((a, b) => Number(a.global) - Number(b.global));
  const symtab = new Uint8Array(SYM_SIZE * (syms.length + 1));
  const sv = new DataView(symtab.buffer);
  syms.forEach((s, i) => {
    const o = SYM_SIZE * (i + 1);
    const shndx = s.section === '*ABS*' ? SHN_ABS : (indexOf.get(s.section) ?? SHN_ABS);
    sv.setUint32(o, strtab.add(s.name), true);
    sv.setUint32(o + 4, s.value >>> 0, true);
    sv.setUint32(o + 8, 0, true);
    sv.setUint8(o + 12, ((s.global ? STB_GLOBAL : STB_LOCAL) << 4) | STT_NOTYPE);
    sv.setUint16(o + 14, shndx, true);
  });
  const firstGlobal = 1 + syms.filter((s) => !s.global).length;
  const symIndex = sections.length + 1;
  offset = alignUp(offset, 4);
  sections.push({
    name: '.symtab',
    type: SHT_SYMTAB,
    flags: 0,
    addr: 0,
    offset,
    size: symtab.length,
    link: symIndex + 1,
    info: firstGlobal,
    align: 4,
    entsize: SYM_SIZE,
    bytes: symtab,
  });
  offset += symtab.length;
  const strBytes = strtab.bytes();
  sections.push({
    name: '.strtab',
    type: SHT_STRTAB,
    flags: 0,
    addr: 0,
    offset,
    size: strBytes.length,
    link: 0,
    info: 0,
    align: 1,
    entsize: 0,
    bytes: strBytes,
  });
  offset += strBytes.length;
  for (const s of sections) shstr.add(s.name);
  shstr.add('.shstrtab');
  const shBytes = shstr.bytes();
  sections.push({
    name: '.shstrtab',
    type: SHT_STRTAB,
    flags: 0,
    addr: 0,
    offset,
    size: shBytes.length,
    link: 0,
    info: 0,
    align: 1,
    entsize: 0,
    bytes: shBytes,
  });
  offset += shBytes.length;
  const shoff = alignUp(offset, 4);
  const total = shoff + SHDR_SIZE * (sections.length + 1);

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set(ELF_MAGIC, 0);
  out[4] = ELFCLASS32;
  out[5] = ELFDATA2LSB;
  out[6] = EV_CURRENT;
  v.setUint16(16, ET_EXEC, true);
  v.setUint16(18, EM_RISCV, true);
  v.setUint32(20, EV_CURRENT, true);
  v.setUint32(24, r.image.entry >>> 0, true);
  v.setUint32(28, loaded.length ? EHDR_SIZE : 0, true);
  v.setUint32(32, shoff, true);
  v.setUint32(36, 0, true);
  v.setUint16(40, EHDR_SIZE, true);
  v.setUint16(42, PHDR_SIZE, true);
  v.setUint16(44, loaded.length, true);
  v.setUint16(46, SHDR_SIZE, true);
  v.setUint16(48, sections.length + 1, true);
  v.setUint16(50, sections.length, true);
  loaded.forEach((s, i) => {
    const sec = sections[i]!;
    const o = EHDR_SIZE + PHDR_SIZE * i;
    v.setUint32(o, PT_LOAD, true);
    v.setUint32(o + 4, sec.type === SHT_NOBITS ? 0 : sec.offset, true);
    v.setUint32(o + 8, s.addr, true);
    v.setUint32(o + 12, s.addr, true);
    v.setUint32(o + 16, sec.type === SHT_NOBITS ? 0 : s.size, true);
    v.setUint32(o + 20, s.size, true);
    v.setUint32(o + 24, PF_R | (isExec(s) ? PF_X : 0) | (isWrite(s) ? PF_W : 0), true);
    v.setUint32(o + 28, Math.max(1, s.align), true);
  });
  sections.forEach((s, i) => {
    if (s.bytes && s.type !== SHT_NOBITS) out.set(s.bytes, s.offset);
    const o = shoff + SHDR_SIZE * (i + 1);
    v.setUint32(o, shstr.add(s.name), true);
    v.setUint32(o + 4, s.type, true);
    v.setUint32(o + 8, s.flags, true);
    v.setUint32(o + 12, s.addr, true);
    v.setUint32(o + 16, s.offset, true);
    v.setUint32(o + 20, s.size, true);
    v.setUint32(o + 24, s.link, true);
    v.setUint32(o + 28, s.info, true);
    v.setUint32(o + 32, s.align, true);
    v.setUint32(o + 36, s.entsize, true);
  });
  return out;
}
