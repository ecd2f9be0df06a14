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
