/**
 * R_RISCV_ALIGN, from objects assembled with relaxation (GNU as's default): at each code `.align`,
 * the assembler left the largest padding the alignment could need (the addend, in nops) and the
 * linker must delete what the final offset does not need, as GNU ld does even with --no-relax.
 * Done per input section before layout: a section is placed at its own alignment, which GNU as
 * makes at least that of every `.align` in it, so the offset decides. Symbols of the section,
 * relocation offsets and the addends of relocations against the section's symbol move with the bytes.
 */
import { ShadowError } from '../base/errors.js';
import { STT_SECTION } from '../asm/elf.js';
import { R_RISCV } from '../asm/relocs.js';
import type { InputObject, InputSection } from './objects.js';

const NOP = [0x13, 0x00, 0x00, 0x00];
const C_NOP = [0x01, 0x00];

export function deleteAlignPadding(obj: InputObject): void {
  for (const sec of obj.sections.values()) {
    const aligns = sec.relocs.filter((r) => r.type === R_RISCV.ALIGN);
    if (aligns.length === 0) continue;
    const cuts: { at: number; count: number }[] = [];
    let deleted = 0;
    for (const r of aligns) {
      let alignment = 1;
      while (alignment <= r.addend) alignment *= 2;
      if (sec.align < alignment) {
        throw new ShadowError(
          'LINK',
          `${obj.file}(${sec.name}+0x${r.off.toString(16)}): R_RISCV_ALIGN to ${alignment} bytes in a section aligned to ${sec.align}`,
        );
      }
      const keep = (alignment - ((r.off - deleted) % alignment)) % alignment;
      const pad = [...(keep % 4 === 2 ? C_NOP : []), ...Array.from({ length: Math.floor(keep / 4) }, () => NOP).flat()];
      sec.bytes.set(pad, r.off);
      if (r.addend > keep) {
        cuts.push({ at: r.off + keep, count: r.addend - keep });
        deleted += r.addend - keep;
      }
      r.type = R_RISCV.NONE;
    }
    if (cuts.length) cut(obj, sec, cuts);
  }
}

function cut(obj: InputObject, sec: InputSection, cuts: readonly { at: number; count: number }[]): void {
  /** New offset of an old one (an offset inside a deleted run goes to its start). */
  const moved = (off: number): number => {
    let minus = 0;
    for (const c of cuts) {
      if (off >= c.at + c.count) minus += c.count;
      else if (off > c.at) minus += off - c.at;
    }
    return off - minus;
  };
  const kept: number[] = [];
  let from = 0;
  for (const c of cuts) {
    kept.push(...sec.bytes.subarray(from, c.at));
    from = c.at + c.count;
  }
  kept.push(...sec.bytes.subarray(from, sec.size));
  sec.bytes = Uint8Array.from(kept);
  sec.size = kept.length;
  for (const r of sec.relocs) r.off = moved(r.off);
  for (const s of obj.symbols) if (s.shndx === sec.index && s.type !== STT_SECTION) s.value = moved(s.value);
  for (const other of obj.sections.values()) {
    for (const r of other.relocs) {
      const s = obj.symbols[r.sym]!;
      if (s.type === STT_SECTION && s.shndx === sec.index) r.addend = moved(r.addend);
    }
  }
}
