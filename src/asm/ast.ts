/** The statements the parser (parse.ts) produces from one source line; columns are 1-based. */

export type Expr =
  | { readonly k: 'num'; readonly v: bigint }
  | { readonly k: 'sym'; readonly name: string; readonly col: number }
  | { readonly k: 'local'; readonly n: string; readonly dir: 'b' | 'f'; readonly col: number }
  | { readonly k: 'un'; readonly op: string; readonly a: Expr }
  | { readonly k: 'bin'; readonly op: string; readonly a: Expr; readonly b: Expr; readonly col: number };

export type RelocFn = 'hi' | 'lo' | 'pcrel_hi' | 'pcrel_lo';

/** An immediate operand: an expression or a relocation function applied to one. */
export type Imm =
  | { readonly kind: 'expr'; readonly e: Expr; readonly col: number; readonly text: string }
  | { readonly kind: 'reloc'; readonly fn: RelocFn; readonly e: Expr; readonly col: number; readonly text: string };

export type Operand =
  | Imm
  /** `off(base)`; `off` absent for `(base)`. */
  | {
      readonly kind: 'mem';
      readonly off: Imm | undefined;
      readonly base: string;
      readonly baseCol: number;
      readonly col: number;
      readonly text: string;
    };

export type DirArg =
  | { readonly kind: 'string'; readonly bytes: Uint8Array; readonly col: number }
  | { readonly kind: 'type'; readonly name: string; readonly col: number }
  | { readonly kind: 'expr'; readonly e: Expr; readonly col: number }
  | { readonly kind: 'empty'; readonly col: number };

export type Body =
  | { readonly kind: 'insn'; readonly name: string; readonly col: number; readonly ops: readonly Operand[]; readonly end: number }
  | { readonly kind: 'dir'; readonly name: string; readonly col: number; readonly args: readonly DirArg[]; readonly end: number }
  | {
      readonly kind: 'insnDir';
      readonly format: string;
      readonly formatCol: number;
      readonly col: number;
      readonly ops: readonly Operand[];
      readonly end: number;
    }
  | { readonly kind: 'assign'; readonly name: string; readonly col: number; readonly e: Expr };

export interface Label {
  readonly name: string;
  readonly col: number;
}

export interface Statement {
  readonly labels: readonly Label[];
  readonly body: Body | undefined;
}
