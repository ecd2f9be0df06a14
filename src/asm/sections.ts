/**
 * Sections and the fixed link map. Every input section (`.text`, `.text.init`, `.rodata.str`, ...)
 * goes to one of four output sections, laid out from RAM_BASE in this order, the way GNU ld lays them
 * out with test/asm/layout.ld:
 *
 *   .text (code)  .rodata  .data  .bss (no bytes in the file)
 *
 * Each output section starts at the largest alignment of its inputs; each input section starts at its
 * own alignment, in the order the sections were first named (.text, .data and .bss exist from the start).
 */
import { RAM_BASE } from '../../isa/csrs.js';

export type OutputName = '.text' | '.rodata' | '.data' | '.bss';
export const OUTPUT_ORDER: readonly OutputName[] = ['.text', '.rodata', '.data', '.bss'];

export class Section {
  /** Largest alignment asked for, in bytes (.text starts at 4, like GNU as's). */
  align: number;
  /** Size at the end of pass 1. */
  size = 0;
  /** Location counter during a pass. */
  off = 0;
  /** Address of the first byte, after layout. */
  base = 0;
  /** Contents, allocated for pass 2 (undefined for .bss). */
  bytes: Uint8Array | undefined;
  /**
   * GNU mapping symbols of a code section (found in pass 1): `$x` where instructions start, `$d`
   * where data starts; the first `$x` of a section carries the architecture string.
   */
  readonly mapping: { off: number; kind: 'x' | 'd'; arch: boolean }[] = [];
  mapState: 'x' | 'd' | undefined;
  private archPending = true;

  constructor(
    readonly name: string,
    readonly out: OutputName,
  ) {
    this.align = name === '.text' ? 4 : 1;
  }

  /** Code sections are padded with nops when aligned, and at their end to their alignment. */
  get code(): boolean {
    return this.out === '.text';
  }

  get nobits(): boolean {
    return this.out === '.bss';
  }

  /** Adds a mapping symbol; one at the same offset as the previous replaces it (as GNU as does). */
  addMapping(off: number, kind: 'x' | 'd'): void {
    const last = this.mapping[this.mapping.length - 1];
    if (last && last.off === off) {
      this.mapping.pop();
      if (last.arch) this.archPending = true;
    }
    const arch = kind === 'x' && this.archPending;
    if (arch) this.archPending = false;
    this.mapping.push({ off, kind, arch });
  }
}

/** The output section an input section name belongs to, or undefined when it is not supported. */
export function outputOf(name: string): OutputName | undefined {
  const is = (base: string): boolean => name === base || name.startsWith(base + '.');
  if (is('.text')) return '.text';
  if (is('.rodata') || is('.srodata')) return '.rodata';
  if (is('.data') || is('.sdata') || is('.init_array') || is('.fini_array') || is('.preinit_array')) return '.data';
  if (is('.bss') || is('.sbss')) return '.bss';
  return undefined;
}

export interface OutputSection {
  readonly name: OutputName;
  readonly addr: number;
  readonly size: number;
  readonly align: number;
  readonly inputs: readonly Section[];
}

/** Largest total of loaded (non-.bss) bytes: 256 MiB, far beyond any guest RAM. */
export const MAX_LOADED = 256 * 1024 * 1024;

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Assigns every input section its address; returns the four output sections (some may be empty). */
export function layout(sections: readonly Section[], base: number = RAM_BASE): OutputSection[] {
  let addr = base;
  const out: OutputSection[] = [];
  for (const name of OUTPUT_ORDER) {
    const inputs = sections.filter((s) => s.out === name);
    const align = Math.max(1, ...inputs.map((s) => s.align));
    addr = alignUp(addr, align);
    const start = addr;
    for (const s of inputs) {
      addr = alignUp(addr, s.align);
      s.base = addr;
      addr += s.size;
    }
    out.push({ name, addr: start, size: addr - start, align, inputs });
  }
  if (addr > 0x1_0000_0000) throw new Error('the program does not fit below 4 GiB');
  const loaded = out.filter((o) => o.name !== '.bss').reduce((n, o) => n + o.size, 0);
  if (loaded > MAX_LOADED) throw new Error(`the program's sections hold ${loaded} bytes, more than the ${MAX_LOADED} an image may have`);
  return out;
}

/**
 * An object's sections are not laid out (the linker does that), so their sizes are checked here against the
 * bounds `layout` puts on an executable: `.space 0xffffffff` in `asm -c` asked for a 4 GiB buffer and crashed.
 */
export function checkObjectSizes(sections: readonly { readonly name: string; readonly size: number; readonly nobits: boolean }[]): void {
  for (const s of sections) {
    const bound = s.nobits ? 0xffff_ffff : MAX_LOADED;
    if (s.size > bound) throw new Error(`section ${s.name} holds ${s.size} bytes, more than the ${bound} an object may have`);
  }
}
