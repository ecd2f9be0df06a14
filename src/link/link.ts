/**
 * The linker: relocatable objects -> an executable. Reads the objects, resolves the global symbols,
 * places the sections by a linker script (`-T`, or the default script from `--text ADDR`), applies
 * the relocations, and returns what the ELF writer needs.
 */
import { RAM_BASE } from '../../isa/csrs.js';
import type { ProgramImage, Segment } from '../../isa/image.js';
import { STB_LOCAL, STT_FILE, STT_SECTION } from '../asm/elf.js';
import { byAddress } from '../asm/elf-read.js';
import type { Executable } from '../asm/elf-write.js';
import { SHN_ABS, SHN_UNDEF, readObject, type InputObject } from './objects.js';
import { deleteAlignPadding } from './align.js';
import { layout, type OutputSection } from './layout.js';
import { applyRelocations, symbolAddress } from './relocate.js';
import { resolveSymbols } from './resolve.js';
import { defaultScript, parseScript } from './script.js';

export interface LinkInput {
  /** Name used in messages. */
  readonly file: string;
  readonly bytes: Uint8Array;
}

export interface LinkOptions {
  /** A linker script's text and file name (-T). */
  readonly script?: { readonly text: string; readonly file: string };
  /** Without a script: where code starts (default RAM_BASE). */
  readonly text?: number;
}

export interface LinkResult extends Executable {
  readonly image: ProgramImage;
  readonly outputs: readonly OutputSection[];
  readonly warnings: readonly string[];
}

export function link(inputs: readonly LinkInput[], opts: LinkOptions = {}): LinkResult {
  const objects: InputObject[] = inputs.map((i) => readObject(i.bytes, i.file));
  for (const obj of objects) deleteAlignPadding(obj);
  const script = opts.script
    ? parseScript(opts.script.text, opts.script.file)
    : parseScript(defaultScript(opts.text ?? RAM_BASE), '<default script>');
  const table = resolveSymbols(objects);
  const placed = layout(script, objects, table.common);
  applyRelocations(objects, table, placed.scriptSymbols);
  const warnings: string[] = [];

  const outputs = placed.outputs;
  const outputOf = (addr: number): OutputSection | undefined =>
    outputs.find((o) => addr >= o.addr && addr < o.addr + o.size) ?? outputs.find((o) => addr === o.addr + o.size);
  const symbols: { name: string; value: number; section: string; global: boolean }[] = [];
  for (const obj of objects) {
    obj.symbols.forEach((s, i) => {
      if (i === 0 || s.name === '' || s.name.startsWith('$') || s.name.startsWith('.L') || s.type === STT_SECTION || s.type === STT_FILE)
        return;
      if (s.shndx === SHN_UNDEF) return;
      const global = s.bind !== STB_LOCAL;
      if (global && table.defs.get(s.name)?.sym !== s) return;
      if (s.shndx !== SHN_ABS && !obj.sections.get(s.shndx)) return;
      if (s.shndx !== SHN_ABS && obj.sections.get(s.shndx)!.discarded) return;
      const value = symbolAddress(obj, i, table, placed.scriptSymbols);
      if (value === undefined) return;
      symbols.push({ name: s.name, value, section: s.shndx === SHN_ABS ? '*ABS*' : (outputOf(value)?.name ?? '*ABS*'), global });
    });
  }
  for (const [name, at] of table.commonAt) {
    const value = table.common.addr + at;
    symbols.push({ name, value, section: outputOf(value)?.name ?? '*ABS*', global: true });
  }
  for (const [name, value] of placed.scriptSymbols) {
    if (!table.defs.has(name)) symbols.push({ name, value: value >>> 0, section: outputOf(value)?.name ?? '*ABS*', global: true });
  }

  const sections = outputs.map((o) => {
    let bytes: Uint8Array | undefined;
    if (!o.nobits) {
      bytes = new Uint8Array(o.size);
      for (const s of o.inputs) if (!s.nobits) bytes.set(s.bytes.subarray(0, s.size), s.addr - o.addr);
    }
    return { name: o.name, addr: o.addr, size: o.size, align: o.align, bytes, mapping: [], exec: o.exec, write: o.write };
  });
  const entryName = script.entry ?? '_start';
  const entrySym = symbols.find((s) => s.name === entryName && s.global) ?? symbols.find((s) => s.name === entryName);
  const first = outputs.find((o) => o.exec) ?? outputs[0];
  if (!entrySym) warnings.push(`warning: cannot find entry symbol ${entryName}; defaulting to 0x${(first?.addr ?? 0).toString(16)}`);
  const entry = entrySym?.value ?? first?.addr ?? 0;
  const segments: Segment[] = sections
    .filter((s) => s.size > 0)
    .map((s) => (s.bytes ? { addr: s.addr, bytes: s.bytes } : { addr: s.addr, bytes: new Uint8Array(0), zeroFill: s.size }));
  const image: ProgramImage = {
    entry: entry >>> 0,
    segments,
    symbols: symbols
      .filter((s) => s.section !== '*ABS*')
      .map((s) => ({ name: s.name, addr: s.value >>> 0 }))
      .sort(byAddress),
  };
  return { image, sections, symbols, outputs, warnings };
}
