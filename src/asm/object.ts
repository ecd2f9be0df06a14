/**
 * `shadowvm asm -c`: a relocatable ELF32 object, as GNU `as -march=rv32im_zicsr -mno-relax` writes one:
 * every input section at 0 with its own `.rela` section, GNU's mapping symbols, the named labels
 * (locals first), a `.L0 ` symbol at each `auipc` a `%pcrel_lo` refers to, the symbols used but not
 * defined (global, undefined) and `.riscv.attributes`. Relocations against `.L` and numeric labels
 * refer to their section's symbol, with the label's offset as addend.
 */
import { assembleState, type AssembleOptions } from './assembler.js';
import type { Asm } from './context.js';
import { formatDiagnostic } from './diagnostics.js';
import {
  EHDR_SIZE,
  ELFCLASS32,
  ELFDATA2LSB,
  ELF_MAGIC,
  EM_RISCV,
  ET_REL,
  EV_CURRENT,
  RELA_SIZE,
  SHDR_SIZE,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_INFO_LINK,
  SHF_WRITE,
  SHT_INIT_ARRAY,
  SHT_FINI_ARRAY,
  SHT_PREINIT_ARRAY,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  SYM_SIZE,
} from './elf.js';
import { SHT_RISCV_ATTRIBUTES, StringTable, attributes } from './elf-write.js';
import { R_RISCV, type Reloc } from './relocs.js';
import type { Section } from './sections.js';
import { objectSymbols } from './object-symbols.js';

interface Out {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly align: number;
  link: number;
  info: number;
  readonly entsize: number;
}

/** Assembles one file into a relocatable object, with its warnings. Throws ShadowError('ASM') listing every error. */
export function assembleObject(source: string, opts: AssembleOptions = {}): { bytes: Uint8Array; warnings: string[] } {
  const { a } = assembleState(source, opts, true);
  const warnings = a.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
  return { bytes: writeObject(a), warnings };
}

function sectionType(s: Section): number {
  if (s.nobits) return SHT_NOBITS;
  const is = (base: string): boolean => s.name === base || s.name.startsWith(base + '.');
  if (is('.init_array')) return SHT_INIT_ARRAY;
  if (is('.fini_array')) return SHT_FINI_ARRAY;
  if (is('.preinit_array')) return SHT_PREINIT_ARRAY;
  return SHT_PROGBITS;
}

function sectionFlags(s: Section): number {
  return SHF_ALLOC | (s.code ? SHF_EXECINSTR : 0) | (s.out === '.data' || s.out === '.bss' ? SHF_WRITE : 0);
}

function writeObject(a: Asm): Uint8Array {
  const outs: Out[] = [];
  const secIndex = new Map<Section, number>();
  const relaOf = new Map<Section, Reloc[]>();
  for (const r of a.relocs) relaOf.set(r.sec, [...(relaOf.get(r.sec) ?? []), r]);
  for (const s of a.sections) {
    secIndex.set(s, outs.length + 1);
    const bytes = s.bytes ?? new Uint8Array(0);
    outs.push({
      name: s.name,
      type: sectionType(s),
      flags: sectionFlags(s),
      bytes,
      size: s.size,
      align: s.align,
      link: 0,
      info: 0,
      entsize: 0,
    });
    if (relaOf.has(s)) {
      outs.push({
        name: '.rela' + s.name,
        type: SHT_RELA,
        flags: SHF_INFO_LINK,
        bytes: new Uint8Array(0),
        size: 0,
        align: 4,
        link: 0,
        info: outs.length,
        entsize: RELA_SIZE,
      });
    }
  }
  const attr = attributes();
  outs.push({
    name: '.riscv.attributes',
    type: SHT_RISCV_ATTRIBUTES,
    flags: 0,
    bytes: attr,
    size: attr.length,
    align: 1,
    link: 0,
    info: 0,
    entsize: 0,
  });

  const { locals, globals, named, sectionSym, labelSym, firstGlobal } = objectSymbols(a, secIndex);

  const strtab = new StringTable();
  const syms = [...locals, ...globals];
  const symtab = new Uint8Array(SYM_SIZE * (syms.length + 1));
  const sv = new DataView(symtab.buffer);
  syms.forEach((s, i) => {
    const o = SYM_SIZE * (i + 1);
    sv.setUint32(o, strtab.add(s.name), true);
    sv.setUint32(o + 4, s.value >>> 0, true);
    sv.setUint8(o + 12, (s.bind << 4) | s.type);
    sv.setUint16(o + 14, s.shndx, true);
  });
  const symIndex = (r: Reloc): number => {
    const t = r.target;
    if (t.kind === 'symbol') return named.get(t.name)!;
    if (t.kind === 'section') return sectionSym.get(t.sec)!;
    return labelSym.get(`${secIndex.get(t.sec)}:${t.off}`)!;
  };
  const symtabIndex = outs.length + 1;
  for (const [i, o] of outs.entries()) {
    if (o.type !== SHT_RELA) continue;
    const list = relaOf.get(a.sections.find((s) => secIndex.get(s) === o.info)!)!;
    const bytes = new Uint8Array(RELA_SIZE * list.length);
    const rv = new DataView(bytes.buffer);
    list.forEach((r, k) => {
      rv.setUint32(k * RELA_SIZE, r.off, true);
      rv.setUint32(k * RELA_SIZE + 4, ((symIndex(r) << 8) | R_RISCV[r.type]) >>> 0, true);
      rv.setInt32(k * RELA_SIZE + 8, r.addend, true);
    });
    outs[i] = { ...o, bytes, size: bytes.length, link: symtabIndex };
  }
  outs.push({
    name: '.symtab',
    type: SHT_SYMTAB,
    flags: 0,
    bytes: symtab,
    size: symtab.length,
    align: 4,
    link: symtabIndex + 1,
    info: firstGlobal,
    entsize: SYM_SIZE,
  });
  const strBytes = strtab.bytes();
  outs.push({
    name: '.strtab',
    type: SHT_STRTAB,
    flags: 0,
    bytes: strBytes,
    size: strBytes.length,
    align: 1,
    link: 0,
    info: 0,
    entsize: 0,
  });
  const shstr = new StringTable();
  for (const o of outs) shstr.add(o.name);
  shstr.add('.shstrtab');
  const shBytes = shstr.bytes();
  outs.push({
    name: '.shstrtab',
    type: SHT_STRTAB,
    flags: 0,
    bytes: shBytes,
    size: shBytes.length,
    align: 1,
    link: 0,
    info: 0,
    entsize: 0,
  });
  return serialize(outs, shstr);
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

function serialize(outs: readonly Out[], shstr: StringTable): Uint8Array {
  let offset = EHDR_SIZE;
  const offsets = outs.map((o) => {
    if (o.type === SHT_NOBITS) return offset;
    offset = alignUp(offset, Math.max(1, o.align));
    const at = offset;
    offset += o.size;
    return at;
  });
  const shoff = alignUp(offset, 4);
  const out = new Uint8Array(shoff + SHDR_SIZE * (outs.length + 1));
  const v = new DataView(out.buffer);
  out.set(ELF_MAGIC, 0);
  out[4] = ELFCLASS32;
  out[5] = ELFDATA2LSB;
  out[6] = EV_CURRENT;
  v.setUint16(16, ET_REL, true);
  v.setUint16(18, EM_RISCV, true);
  v.setUint32(20, EV_CURRENT, true);
  v.setUint32(32, shoff, true);
  v.setUint16(40, EHDR_SIZE, true);
  v.setUint16(46, SHDR_SIZE, true);
  v.setUint16(48, outs.length + 1, true);
  v.setUint16(50, outs.length, true);
  outs.forEach((o, i) => {
    if (o.type !== SHT_NOBITS) out.set(o.bytes, offsets[i]!);
    const h = shoff + SHDR_SIZE * (i + 1);
    v.setUint32(h, shstr.add(o.name), true);
    v.setUint32(h + 4, o.type, true);
    v.setUint32(h + 8, o.flags, true);
    v.setUint32(h + 16, offsets[i]!, true);
    v.setUint32(h + 20, o.size, true);
    v.setUint32(h + 24, o.link, true);
    v.setUint32(h + 28, o.info, true);
    v.setUint32(h + 32, o.align, true);
    v.setUint32(h + 36, o.entsize, true);
  });
  return out;
}
