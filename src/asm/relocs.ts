/**
 * Relocations of a relocatable object (`shadowvm asm -c`): the standard RISC-V types the assembler
 * emits, the value of a symbol defined in another file, and the rules GNU `as -mno-relax` follows for
 * when a reference stays a relocation. Objects carry no R_RISCV_RELAX or R_RISCV_ALIGN: alignment
 * padding is final, and the linker relaxes nothing.
 */
import type { Value } from './expr.js';
import type { Section } from './sections.js';

/** ELF relocation numbers (RISC-V psABI). */
export const R_RISCV = {
  NONE: 0,
  '32': 1,
  BRANCH: 16,
  JAL: 17,
  CALL: 18,
  CALL_PLT: 19,
  PCREL_HI20: 23,
  PCREL_LO12_I: 24,
  PCREL_LO12_S: 25,
  HI20: 26,
  LO12_I: 27,
  LO12_S: 28,
  ADD32: 35,
  SUB32: 39,
  ALIGN: 43,
  RVC_BRANCH: 44,
  RVC_JUMP: 45,
  RELAX: 51,
} as const;
export type RelocType = keyof typeof R_RISCV;

/** The name of a relocation number, as readelf prints it (R_RISCV_...). */
export function relocName(type: number): string {
  for (const [name, n] of Object.entries(R_RISCV)) if (n === type) return `R_RISCV_${name}`;
  return `relocation type ${type}`;
}

/** A symbol this file uses but does not define: the "section" of values relative to it. */
export class ExternSymbol {
  constructor(readonly name: string) {}
}

/** What a relocation refers to: a named symbol of the file (defined or not), or an input section. */
export type RelocTarget =
  | { readonly kind: 'symbol'; readonly name: string }
  | { readonly kind: 'section'; readonly sec: Section }
  /** A local symbol made for the place (the `auipc` a `%pcrel_lo` refers to), as GNU's `.L0 `. */
  | { readonly kind: 'label'; readonly sec: Section; readonly off: number };

export interface Reloc {
  readonly sec: Section;
  readonly off: number;
  readonly type: RelocType;
  readonly target: RelocTarget;
  readonly addend: number;
}

/** A value that needs the linker: relative to a section or to a symbol of another file. */
export const isRelocatable = (v: Value): boolean => v.sec !== undefined;
