/** A loadable guest program, as the assembler produces it and the loader consumes it (ELF or flat binary). */

export interface Segment {
  /** Guest physical address of the first byte. */
  readonly addr: number;
  readonly bytes: Uint8Array;
  /** Bytes reserved after `bytes` that load as zero (.bss); 0 when none. */
  readonly zeroFill?: number;
}

export interface ProgramImage {
  readonly entry: number;
  readonly segments: readonly Segment[];
  /** Symbols from the ELF symbol table (empty for flat binaries), for disassembly and reports. */
  readonly symbols: readonly { readonly name: string; readonly addr: number }[];
}

/** `name` or `name+0xN` for the nearest symbol at or below `addr` in `image`, or undefined when none is. */
export function symbolAt(image: ProgramImage, addr: number): string | undefined {
  const a = addr >>> 0;
  let best: { readonly name: string; readonly addr: number } | undefined;
  for (const s of image.symbols) {
    const sa = s.addr >>> 0;
    if (sa <= a && (best === undefined || sa > best.addr >>> 0) && s.name !== '' && !s.name.startsWith('.L')) best = s;
  }
  if (!best) return undefined;
  const off = a - (best.addr >>> 0);
  return off === 0 ? best.name : `${best.name}+0x${off.toString(16)}`;
}
