/**
 * What the executable writer (elf-write.ts) and the object writer (object.ts) share: string tables, the
 * `.riscv.attributes` section, GNU's mapping symbols, the symbol table, and the file itself: the ELF
 * header, the sections laid out in order after the headers, `.shstrtab` and the section header table.
 */
import {
  EHDR_SIZE,
  ELFCLASS32,
  ELFDATA2LSB,
  ELF_MAGIC,
  EM_RISCV,
  ET_REL,
  EV_CURRENT,
  PHDR_SIZE,
  SHDR_SIZE,
  SHT_NOBITS,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_LOCAL,
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

/** A section to write. Its file offset comes from its place in the list (`writeElfFile`). */
export interface OutSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly align: number;
  readonly entsize: number;
  /** Contents; undefined (and never written) for SHT_NOBITS. */
  readonly bytes: Uint8Array | undefined;
}

/** A symbol-table entry. */
export interface OutSymbol {
  readonly name: string;
  readonly value: number;
  readonly shndx: number;
  readonly bind: number;
  readonly type: number;
}

/** The architecture string GNU as records for `-march=rv32im_zicsr`. */
export const ARCH_STRING = 'rv32i2p1_m2p0_zicsr2p0_zmmul1p0';
export const SHT_RISCV_ATTRIBUTES = 0x70000003;

/** GNU's name for a mapping symbol: `$d` before data, `$x` before code (with the architecture at the first). */
export function mappingSymbolName(m: { readonly kind: 'd' | 'x'; readonly arch?: boolean }): string {
  return m.kind === 'd' ? '$d' : m.arch ? '$x' + ARCH_STRING : '$x';
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** A section with no address, link or info. */
const plain = (name: string, type: number, align: number, bytes: Uint8Array, entsize = 0): OutSection => ({
  name,
  type,
  flags: 0,
  addr: 0,
  size: bytes.length,
  link: 0,
  info: 0,
  align,
  entsize,
  bytes,
});

/** `.riscv.attributes`: format 'A', vendor "riscv", file attributes with Tag_RISCV_arch (5). */
export function attributesSection(): OutSection {
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
  return plain('.riscv.attributes', SHT_RISCV_ATTRIBUTES, 1, out);
}

/**
 * `.symtab` (the null symbol, then `syms`, locals first as ELF requires) and its `.strtab`, for a file in
 * which `.symtab` is section `index` and `.strtab` the next.
 */
export function symbolSections(syms: readonly OutSymbol[], index: number): OutSection[] {
  const strtab = new StringTable();
  const symtab = new Uint8Array(SYM_SIZE * (syms.length + 1));
  const sv = new DataView(symtab.buffer);
  syms.forEach((s, i) => {
    const o = SYM_SIZE * (i + 1);
    sv.setUint32(o, strtab.add(s.name), true);
    sv.setUint32(o + 4, s.value >>> 0, true);
    sv.setUint8(o + 12, (s.bind << 4) | s.type);
    sv.setUint16(o + 14, s.shndx, true);
  });
  const firstGlobal = 1 + syms.filter((s) => s.bind === STB_LOCAL).length;
  return [
    { ...plain('.symtab', SHT_SYMTAB, 4, symtab, SYM_SIZE), link: index + 1, info: firstGlobal },
    plain('.strtab', SHT_STRTAB, 1, strtab.bytes()),
  ];
}

/**
 * An ELF32 file of `type`: the ELF header, room for `phnum` program headers after it (an object has no
 * program header table), the sections in order, each at its alignment (SHT_NOBITS ones take no room), then
 * `.shstrtab` and the section header table. Returns the file and each section's offset, for the caller's
 * program headers.
 */
export function writeElfFile(
  header: { readonly type: number; readonly entry: number; readonly phnum: number },
  given: readonly OutSection[],
): { out: Uint8Array; offsets: number[] } {
  const shstr = new StringTable();
  for (const s of given) shstr.add(s.name);
  shstr.add('.shstrtab');
  const sections = [...given, plain('.shstrtab', SHT_STRTAB, 1, shstr.bytes())];
  let offset = EHDR_SIZE + PHDR_SIZE * header.phnum;
  const offsets = sections.map((s) => {
    if (s.type === SHT_NOBITS) return offset;
    offset = alignUp(offset, Math.max(1, s.align));
    const at = offset;
    offset += s.size;
    return at;
  });
  const shoff = alignUp(offset, 4);
  const out = new Uint8Array(shoff + SHDR_SIZE * (sections.length + 1));
  const v = new DataView(out.buffer);
  out.set(ELF_MAGIC, 0);
  out[4] = ELFCLASS32;
  out[5] = ELFDATA2LSB;
  out[6] = EV_CURRENT;
  v.setUint16(16, header.type, true);
  v.setUint16(18, EM_RISCV, true);
  v.setUint32(20, EV_CURRENT, true);
  v.setUint32(24, header.entry >>> 0, true);
  v.setUint32(28, header.phnum ? EHDR_SIZE : 0, true);
  v.setUint32(32, shoff, true);
  v.setUint16(40, EHDR_SIZE, true);
  v.setUint16(42, header.type === ET_REL ? 0 : PHDR_SIZE, true);
  v.setUint16(44, header.phnum, true);
  v.setUint16(46, SHDR_SIZE, true);
  v.setUint16(48, sections.length + 1, true);
  v.setUint16(50, sections.length, true);
  sections.forEach((s, i) => {
    if (s.bytes && s.type !== SHT_NOBITS) out.set(s.bytes, offsets[i]!);
    const h = shoff + SHDR_SIZE * (i + 1);
    v.setUint32(h, shstr.add(s.name), true);
    v.setUint32(h + 4, s.type, true);
    v.setUint32(h + 8, s.flags, true);
    v.setUint32(h + 12, s.addr, true);
    v.setUint32(h + 16, offsets[i]!, true);
    v.setUint32(h + 20, s.size, true);
    v.setUint32(h + 24, s.link, true);
    v.setUint32(h + 28, s.info, true);
    v.setUint32(h + 32, s.align, true);
    v.setUint32(h + 36, s.entsize, true);
  });
  return { out, offsets };
}
