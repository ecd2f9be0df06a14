/**
 * The forms of every mnemonic the assembler accepts: one per row of the instruction table (its
 * syntax), plus the aliases GNU as accepts for the same rows (`add rd, rs, imm` for addi, `jalr rs`,
 * `lw rd, symbol`...). Pseudo-instructions add theirs in pseudo.ts. A form is chosen by the number
 * and shapes (register, memory, immediate) of the operands.
 */
import { BY_MNEMONIC, INSTRUCTIONS, type InstructionRow } from '../../isa/instructions.js';
import type { Imm, Operand } from './ast.js';
import type { Asm } from './context.js';
import { encode } from './encode.js';
import type { Operands } from './fields.js';
import { LineError } from './line-error.js';
import { csr, fenceSet, imm, memBase, memOffset, reg, shapeOf, target } from './operands.js';

export interface Form {
  /** Operand shapes, e.g. `r,r,i` (r register, m memory `off(reg)`, i anything else). */
  readonly sig: string;
  /** Syntax and expansion, for isa/ISA.md. */
  readonly syntax: string;
  readonly expansion?: string;
  emit(a: Asm, ops: readonly Operand[], col: number): void;
}

export const FORMS = new Map<string, Form[]>();

export function addForm(name: string, form: Form): void {
  const list = FORMS.get(name) ?? [];
  list.push(form);
  FORMS.set(name, list);
}

export function row(name: string): InstructionRow {
  const r = BY_MNEMONIC.get(name);
  if (!r) throw new Error(`asm: no row '${name}'`);
  return r;
}

/** Pass 1 only measures: its words are never made. */
const UNMADE = (): number => 0;

/** Emits one instruction word of a row (operands are already checked). */
export function ins(a: Asm, r: InstructionRow | string, ops: Operands, col: number): void {
  const rr = typeof r === 'string' ? row(r) : r;
  a.word(a.pass === 1 ? UNMADE : () => encode(rr, ops), col);
}

export function asImm(op: Operand): Imm {
  if (op.kind === 'mem') throw new LineError(op.col, `expected an immediate, found '${op.text}'`);
  return op;
}

export function asMem(op: Operand): Operand & { kind: 'mem' } {
  if (op.kind !== 'mem') throw new LineError(op.col, `expected a memory operand like 0(a0), found '${op.text}'`);
  return op;
}

/** The U-format immediate, noting `%pcrel_hi` sites for `%pcrel_lo`. */
export function upper(a: Asm, op: Operand): number {
  const i = asImm(op);
  if (i.kind === 'reloc' && i.fn === 'pcrel_hi') a.notePcrelHi(i.e);
  return imm(a, i, 'u');
}

const INVERSE: Readonly<Record<string, string>> = { beq: 'bne', bne: 'beq', blt: 'bge', bge: 'blt', bltu: 'bgeu', bgeu: 'bltu' };

/**
 * A conditional branch, relaxed as GNU as does it (even with -mno-relax): when the target is out of
 * reach or not a label of this section, the inverted branch skips over a `jal` to the target.
 */
export function branch(a: Asm, name: string, rs1: number, rs2: number, op: Operand, col: number): void {
  if (op.kind !== 'expr') throw new LineError(op.col, `expected a label, found '${op.text}'`);
  if (a.noteBranch(op.e)) {
    ins(a, INVERSE[name]!, { rs1, rs2, imm: 8 }, col);
    ins(a, 'jal', { rd: 0, imm: target(a, op, 'j') }, col);
  } else ins(a, name, { rs1, rs2, imm: target(a, op, 'b') }, col);
}

function baseForm(r: InstructionRow): Form {
  const f = (sig: string, emit: Form['emit']): Form => ({ sig, syntax: r.syntax, emit });
  switch (r.syntax) {
    case 'rd, rs1, rs2':
      return f('r,r,r', (a, o, c) => ins(a, r, { rd: reg(o[0]!), rs1: reg(o[1]!), rs2: reg(o[2]!) }, c));
    case 'rd, rs1, imm':
      return f('r,r,i', (a, o, c) => ins(a, r, { rd: reg(o[0]!), rs1: reg(o[1]!), imm: imm(a, asImm(o[2]!), 'i') }, c));
    case 'rd, rs1, shamt':
      return f('r,r,i', (a, o, c) => ins(a, r, { rd: reg(o[0]!), rs1: reg(o[1]!), imm: imm(a, asImm(o[2]!), 'shamt') }, c));
    case 'rd, imm(rs1)':
      return f('r,m', (a, o, c) => {
        const m = asMem(o[1]!);
        ins(a, r, { rd: reg(o[0]!), rs1: memBase(m), imm: memOffset(a, m, 'i') }, c);
      });
    case 'rs2, imm(rs1)':
      return f('r,m', (a, o, c) => {
        const m = asMem(o[1]!);
        ins(a, r, { rs2: reg(o[0]!), rs1: memBase(m), imm: memOffset(a, m, 's') }, c);
      });
    case 'rs1, rs2, target':
      return f('r,r,i', (a, o, c) => branch(a, r.mnemonic, reg(o[0]!), reg(o[1]!), o[2]!, c));
    case 'rd, imm':
      return f('r,i', (a, o, c) => ins(a, r, { rd: reg(o[0]!), imm: upper(a, o[1]!) }, c));
    case 'rd, target':
      return f('r,i', (a, o, c) => ins(a, r, { rd: reg(o[0]!), imm: target(a, o[1]!, 'j') }, c));
    case 'rd, csr, rs1':
      return f('r,i,r', (a, o, c) => ins(a, r, { rd: reg(o[0]!), csr: csr(a, o[1]!), rs1: reg(o[2]!) }, c));
    case 'rd, csr, uimm':
      return f('r,i,i', (a, o, c) => ins(a, r, { rd: reg(o[0]!), csr: csr(a, o[1]!), imm: imm(a, asImm(o[2]!), 'uimm5') }, c));
    case 'rd, rs1':
      return f('r,r', (a, o, c) => ins(a, r, { rd: reg(o[0]!), rs1: reg(o[1]!) }, c));
    case 'rs1':
      return f('r', (a, o, c) => ins(a, r, { rs1: reg(o[0]!) }, c));
    case 'pred, succ':
      return f('i,i', (a, o, c) => ins(a, r, { pred: fenceSet(a, o[0]!), succ: fenceSet(a, o[1]!) }, c));
    case '':
      return f('', (a, _o, c) => ins(a, r, {}, c));
  }
}

/** GNU's `add rd, rs1, imm` (addi), `sll rd, rs1, shamt` (slli)...; the CSR rows add `i` (csrrw -> csrrwi). */
const IMMEDIATE_ALIAS: Readonly<Record<string, string>> = {
  add: 'addi',
  slt: 'slti',
  sltu: 'sltiu',
  xor: 'xori',
  or: 'ori',
  and: 'andi',
  sll: 'slli',
  srl: 'srli',
  sra: 'srai',
};

for (const r of INSTRUCTIONS) {
  addForm(r.mnemonic, baseForm(r));
  const alias = r.format === 'CSR' ? r.mnemonic + 'i' : IMMEDIATE_ALIAS[r.mnemonic];
  const immRow = alias === undefined ? undefined : BY_MNEMONIC.get(alias);
  if (immRow) {
    addForm(r.mnemonic, { ...baseForm(immRow), syntax: immRow.syntax, expansion: `${immRow.mnemonic} ${immRow.syntax}` });
  }
}

/**
 * Forms already chosen, by mnemonic and then by operand shapes as a number (one base-4 digit per operand,
 * r=1 m=2 i=3, so that every count and order differ), without building the signature string each time.
 * FORMS is complete once the modules are loaded.
 */
const CHOSEN = new Map<string, Map<number, Form>>();
const SHAPE_DIGIT = { r: 1, m: 2, i: 3 } as const;
/** Up to this many operands the shape number stays exact (4**MAX_KEYED < 2**53). */
const MAX_KEYED = 20;

/** Picks the form for these operands, or throws a located error. */
export function chooseForm(name: string, col: number, ops: readonly Operand[]): Form {
  let key = 0;
  for (let i = 0; i < ops.length; i++) key = key * 4 + SHAPE_DIGIT[shapeOf(ops[i]!)];
  const keyed = ops.length <= MAX_KEYED;
  const known = keyed ? CHOSEN.get(name)?.get(key) : undefined;
  if (known) return known;
  const sig = ops.map(shapeOf).join(',');
  const forms = FORMS.get(name);
  if (!forms) throw new LineError(col, `unknown mnemonic '${name}'`);
  const count = (f: Form): number => (f.sig === '' ? 0 : f.sig.split(',').length);
  const exact = forms.find((f) => f.sig === sig);
  if (exact) {
    if (keyed) {
      let byShape = CHOSEN.get(name);
      if (!byShape) CHOSEN.set(name, (byShape = new Map()));
      byShape.set(key, exact);
    }
    return exact;
  }
  const sameCount = forms.find((f) => count(f) === ops.length);
  if (sameCount) return sameCount;
  const counts = [...new Set(forms.map(count))].sort((x, y) => x - y);
  const expected = counts.length === 1 ? String(counts[0]) : `${counts.slice(0, -1).join(', ')} or ${counts[counts.length - 1]}`;
  throw new LineError(col, `wrong number of operands for '${name}': expected ${expected}, found ${ops.length}`);
}
