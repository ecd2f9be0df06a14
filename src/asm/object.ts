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
  ET_REL,
  RELA_SIZE,
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
} from './elf.js';
import { attributesSection, symbolSections, writeElfFile, type OutSection } from './elf-file.js';
import { R_RISCV, type Reloc } from './relocs.js';
import type { Section } from './sections.js';
import { objectSymbols } from './object-symbols.js';

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
  const outs: OutSection[] = [];
  const secIndex = new Map<Section, number>();
  const relaOf = new Map<Section, Reloc[]>();
  for (const r of a.relocs) relaOf.set(r.sec, [...(relaOf.get(r.sec) ?? []), r]);
  for (const s of a.sections) {
    secIndex.set(s, outs.length + 1);
    outs.push({
      name: s.name,
      type: sectionType(s),
      flags: sectionFlags(s),
      addr: 0,
      size: s.size,
      link: 0,
      info: 0,
      align: s.align,
      entsize: 0,
      bytes: s.bytes ?? new Uint8Array(0),
    });
    if (relaOf.has(s)) {
      outs.push({
        name: '.rela' + s.name,
        type: SHT_RELA,
        flags: SHF_INFO_LINK,
        addr: 0,
        size: 0,
        link: 0,
        info: outs.length,
        align: 4,
        entsize: RELA_SIZE,
        bytes: new Uint8Array(0),
      });
    }
  }
  outs.push(attributesSection());

  const { locals, globals, named, sectionSym, labelSym } = objectSymbols(a, secIndex);
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
  outs.push(...symbolSections([...locals, ...globals], symtabIndex));
  return writeElfFile({ type: ET_REL, entry: 0, phnum: 0 }, outs).out;
}
