/**
 * Applies the relocations of every placed input section: S (the symbol's address) + A (the addend),
 * relative to P (the place) for the pc-relative ones, each checked against its field's range. A
 * `PCREL_LO12` refers to the `auipc` whose `PCREL_HI20` it completes, found by that auipc's address.
 * Every problem (undefined symbol, value out of range, unsupported type) is collected and reported
 * together, each naming the file, the section and offset, and the symbol.
 */
import { ShadowError } from '../base/errors.js';
import { STB_LOCAL, STB_WEAK, STT_SECTION } from '../asm/elf.js';
import { R_RISCV, relocName } from '../asm/relocs.js';
import { SHN_ABS, SHN_UNDEF, type InputObject, type InputReloc, type InputSection } from './objects.js';
import type { SymbolTable } from './resolve.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** The address of symbol `index` of `obj`, or undefined when it is undefined everywhere. */
export function symbolAddress(
  obj: InputObject,
  index: number,
  table: SymbolTable,
  script: ReadonlyMap<string, number>,
): number | undefined {
  const sym = obj.symbols[index]!;
  if (sym.bind === STB_LOCAL || (sym.shndx !== SHN_UNDEF && sym.shndx !== 0xfff2)) {
    if (sym.bind === STB_LOCAL || !table.defs.has(sym.name)) {
      if (sym.shndx === SHN_ABS) return sym.value;
      const sec = obj.sections.get(sym.shndx);
      if (!sec) return undefined;
      return sec.addr + (sym.type === STT_SECTION ? 0 : sym.value);
    }
  }
  const def = table.defs.get(sym.name);
  if (def) {
    if (def.sym.shndx === SHN_ABS) return def.sym.value;
    return def.obj.sections.get(def.sym.shndx)!.addr + def.sym.value;
  }
  const common = table.commonAt.get(sym.name);
  if (common !== undefined) return table.common.addr + common;
  const scripted = script.get(sym.name);
  if (scripted !== undefined) return scripted;
  if (sym.bind === STB_WEAK) return 0;
  return undefined;
}

const fits = (v: number, bits: number): boolean => v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1);

function bType(w: number, v: number): number {
  return ((w & 0x01fff07f) | (((v >> 12) & 1) << 31) | (((v >> 5) & 0x3f) << 25) | (((v >> 1) & 0xf) << 8) | (((v >> 11) & 1) << 7)) >>> 0;
}
function jType(w: number, v: number): number {
  return ((w & 0xfff) | (((v >> 20) & 1) << 31) | (((v >> 1) & 0x3ff) << 21) | (((v >> 11) & 1) << 20) | (((v >> 12) & 0xff) << 12)) >>> 0;
}
const uType = (w: number, v: number): number => ((w & 0xfff) | ((((v + 0x800) >>> 12) & 0xfffff) << 12)) >>> 0;
const iType = (w: number, v: number): number => ((w & 0xfffff) | ((v & 0xfff) << 20)) >>> 0;
const sType = (w: number, v: number): number => ((w & 0x01fff07f) | (((v >> 5) & 0x7f) << 25) | ((v & 0x1f) << 7)) >>> 0;
const lo12 = (v: number): number => (v << 20) >> 20;

export function applyRelocations(objects: readonly InputObject[], table: SymbolTable, script: ReadonlyMap<string, number>): void {
  const problems: string[] = [];
  // pc-relative offsets of every PCREL_HI20, by the address of its auipc.
  const hi = new Map<number, number>();
  const work: { obj: InputObject; sec: InputSection; r: InputReloc; s: number; name: string }[] = [];
  for (const obj of objects) {
    for (const sec of obj.sections.values()) {
      if (sec.discarded) continue;
      for (const r of sec.relocs) {
        if (r.type === R_RISCV.RELAX || r.type === R_RISCV.NONE) continue;
        const sym = obj.symbols[r.sym]!;
        const name = sym.type === STT_SECTION ? (obj.sections.get(sym.shndx)?.name ?? 'a section') : sym.name;
        const where = `${obj.file}(${sec.name}+${hex(r.off)})`;
        const s = r.sym === 0 ? 0 : symbolAddress(obj, r.sym, table, script);
        if (s === undefined) {
          problems.push(`${where}: undefined reference to '${name}'`);
          continue;
        }
        if (r.type === R_RISCV.PCREL_HI20) hi.set(sec.addr + r.off, (s + r.addend - (sec.addr + r.off)) | 0);
        work.push({ obj, sec, r, s, name });
      }
    }
  }
  for (const { obj, sec, r, s, name } of work) {
    const where = `${obj.file}(${sec.name}+${hex(r.off)})`;
    const p = sec.addr + r.off;
    const v = new DataView(sec.bytes.buffer, sec.bytes.byteOffset, sec.bytes.byteLength);
    if (r.off + (r.type === R_RISCV.CALL || r.type === R_RISCV.CALL_PLT ? 8 : 4) > sec.size) {
      problems.push(`${where}: relocation ${relocName(r.type)} past the end of the section`);
      continue;
    }
    const w = v.getUint32(r.off, true);
    const value = (s + r.addend) | 0;
    const rel = (s + r.addend - p) | 0;
    const range = (ok: boolean, what: string): boolean => {
      if (!ok) problems.push(`${where}: relocation ${relocName(r.type)} out of range: '${name}' at ${hex(s + r.addend)} is ${what}`);
      return ok;
    };
    switch (r.type) {
      case R_RISCV['32']:
        v.setUint32(r.off, value >>> 0, true);
        break;
      case R_RISCV.BRANCH:
        if (range(fits(rel, 13) && rel % 2 === 0, `${rel} bytes away (a branch reaches -4096..4094)`))
          v.setUint32(r.off, bType(w, rel), true);
        break;
      case R_RISCV.JAL:
        if (range(fits(rel, 21) && rel % 2 === 0, `${rel} bytes away (a jal reaches -1 MiB..1 MiB-2)`))
          v.setUint32(r.off, jType(w, rel), true);
        break;
      case R_RISCV.CALL:
      case R_RISCV.CALL_PLT:
        v.setUint32(r.off, uType(w, rel), true);
        v.setUint32(r.off + 4, iType(v.getUint32(r.off + 4, true), lo12(rel)), true);
        break;
      case R_RISCV.PCREL_HI20:
        v.setUint32(r.off, uType(w, rel), true);
        break;
      case R_RISCV.PCREL_LO12_I:
      case R_RISCV.PCREL_LO12_S: {
        const off = hi.get((s + r.addend) >>> 0);
        if (off === undefined) {
          problems.push(`${where}: ${relocName(r.type)} refers to '${name}', which is not an auipc with R_RISCV_PCREL_HI20`);
          break;
        }
        v.setUint32(r.off, r.type === R_RISCV.PCREL_LO12_I ? iType(w, lo12(off)) : sType(w, lo12(off)), true);
        break;
      }
      case R_RISCV.HI20:
        v.setUint32(r.off, uType(w, value), true);
        break;
      case R_RISCV.LO12_I:
        v.setUint32(r.off, iType(w, lo12(value)), true);
        break;
      case R_RISCV.LO12_S:
        v.setUint32(r.off, sType(w, lo12(value)), true);
        break;
      case R_RISCV.ADD32:
        v.setUint32(r.off, (w + value) >>> 0, true);
        break;
      case R_RISCV.SUB32:
        v.setUint32(r.off, (w - value) >>> 0, true);
        break;
      default:
        problems.push(`${where}: unsupported relocation ${relocName(r.type)} against '${name}'`);
    }
  }
  if (problems.length) throw new ShadowError('LINK', [...new Set(problems)].join('\n'));
}
