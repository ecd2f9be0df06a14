/**
 * The generator's code builder: a list of instructions, labels and comments, laid out in two passes, that
 * yields both the machine words (built with `encode()` from THE instruction table, every field
 * range-checked) and the same program as GNU-style assembly text (standard mnemonics and pseudo-
 * instructions that stand for exactly one instruction, ABI register names, labels). No assembler involved.
 */
import { hex } from '../base/format.js';
import { CSR_BY_NAME } from '../../isa/csrs.js';
import { encode } from '../asm/encode.js';
import type { Operands } from '../asm/fields.js';
import { regName } from '../asm/registers.js';

/** A register's ABI name (`t0`, `s10`...). */
export const r = (n: number): string => regName(n);

type Resolved = { word: number; text: string };
type Resolver = (pc: number, label: (name: string) => number) => Resolved;

type Line = { kind: 'label'; name: string } | { kind: 'comment'; text: string } | { kind: 'insn'; resolve: Resolver; comment?: string };

/** The number of a CSR by name; throws on a typo (a generator bug, not a guest's). */
export function csrNum(name: string): number {
  const row = CSR_BY_NAME.get(name);
  if (!row) throw new Error(`genprog: no CSR named '${name}'`);
  return row.number;
}

export interface BuiltCode {
  readonly words: Uint32Array;
  /** Source lines (labels, indented instructions, comments). */
  readonly lines: readonly string[];
  readonly labels: ReadonlyMap<string, number>;
}

export class CodeBuilder {
  private readonly items: Line[] = [];
  private count = 0;
  private readonly used = new Set<string>();

  /** Instructions emitted so far. */
  get size(): number {
    return this.count;
  }

  /** A label name not used before, from a stem (`skip` -> `skip_3`). */
  fresh(stem: string): string {
    let n = 0;
    while (this.used.has(`${stem}_${n}`)) n++;
    const name = `${stem}_${n}`;
    this.used.add(name);
    return name;
  }

  label(name: string): void {
    this.used.add(name);
    this.items.push({ kind: 'label', name });
  }

  comment(text: string): void {
    this.items.push({ kind: 'comment', text });
  }

  /** One instruction whose operands are all known now. */
  op(mnemonic: string, ops: Operands, text: string, comment?: string): void {
    const word = encode(mnemonic, ops);
    this.insn(() => ({ word, text }), comment);
  }

  /** One instruction resolved at layout (branch targets, absolute addresses). */
  insn(resolve: Resolver, comment?: string): void {
    this.items.push({ kind: 'insn', resolve, ...(comment !== undefined ? { comment } : {}) });
    this.count++;
  }

  // ---- common forms ----

  rrr(mn: string, rd: number, rs1: number, rs2: number): void {
    this.op(mn, { rd, rs1, rs2 }, `${mn} ${r(rd)}, ${r(rs1)}, ${r(rs2)}`);
  }

  rri(mn: string, rd: number, rs1: number, imm: number, comment?: string): void {
    this.op(mn, { rd, rs1, imm }, `${mn} ${r(rd)}, ${r(rs1)}, ${imm}`, comment);
  }

  lui(rd: number, imm20: number, comment?: string): void {
    this.op('lui', { rd, imm: imm20 }, `lui ${r(rd)}, ${hex(imm20)}`, comment);
  }

  /** `li` for a small constant: one addi from zero. */
  li12(rd: number, v: number, comment?: string): void {
    this.op('addi', { rd, rs1: 0, imm: v }, `addi ${r(rd)}, zero, ${v}`, comment);
  }

  /** Any 32-bit constant as lui (+ addi when the low part is not 0), written out as GNU would expand `li`. */
  li32(rd: number, value: number, comment?: string): void {
    const v = value | 0;
    if (v >= -2048 && v <= 2047) return this.li12(rd, v, comment);
    const lo = ((v << 20) >> 20) | 0;
    const hi = ((v - lo) >>> 12) & 0xfffff;
    this.lui(rd, hi, comment);
    if (lo !== 0) this.rri('addi', rd, rd, lo);
  }

  load(mn: string, rd: number, off: number, base: number, comment?: string): void {
    this.op(mn, { rd, rs1: base, imm: off }, `${mn} ${r(rd)}, ${off}(${r(base)})`, comment);
  }

  store(mn: string, rs2: number, off: number, base: number, comment?: string): void {
    this.op(mn, { rs2, rs1: base, imm: off }, `${mn} ${r(rs2)}, ${off}(${r(base)})`, comment);
  }

  csrr(rd: number, csr: string): void {
    this.op('csrrs', { rd, csr: csrNum(csr), rs1: 0 }, `csrr ${r(rd)}, ${csr}`);
  }

  csrw(csr: string, rs1: number): void {
    this.op('csrrw', { rd: 0, csr: csrNum(csr), rs1 }, `csrw ${csr}, ${r(rs1)}`);
  }

  /** Read the CSR into rd and write rs1 to it (`csrrw rd, csr, rs1`). */
  csrrw(rd: number, csr: string, rs1: number): void {
    this.op('csrrw', { rd, csr: csrNum(csr), rs1 }, `csrrw ${r(rd)}, ${csr}, ${r(rs1)}`);
  }

  /** `csrs`/`csrc` (rs1 form) and `csrsi`/`csrci` (immediate form), rd = zero. */
  csrBits(set: boolean, csr: string, rs1: number): void {
    const mn = set ? 'csrrs' : 'csrrc';
    this.op(mn, { rd: 0, csr: csrNum(csr), rs1 }, `${set ? 'csrs' : 'csrc'} ${csr}, ${r(rs1)}`);
  }

  /**
   * Sets or clears the bits of `mask` in a CSR through rd, the mask loaded as GNU expands `li` (addi, or
   * lui + addi for a mask with bit 11 set, as MEIP or MPP), `name` commenting its last instruction.
   */
  csrMask(set: boolean, csr: string, rd: number, mask: number, name?: string): void {
    const lo = (mask << 20) >> 20;
    if (lo === mask) {
      this.li12(rd, mask, name);
    } else {
      this.lui(rd, ((mask - lo) >>> 12) & 0xfffff, lo === 0 ? name : undefined);
      if (lo !== 0) this.rri('addi', rd, rd, lo, name);
    }
    this.csrBits(set, csr, rd);
  }

  csrBitsImm(set: boolean, csr: string, uimm: number, comment?: string): void {
    const mn = set ? 'csrrsi' : 'csrrci';
    this.op(mn, { rd: 0, csr: csrNum(csr), imm: uimm }, `${set ? 'csrsi' : 'csrci'} ${csr}, ${uimm}`, comment);
  }

  plain(mn: 'mret' | 'wfi' | 'drain' | 'ecall' | 'ebreak', comment?: string): void {
    this.op(mn, {}, mn, comment);
  }

  halt(rs1: number, comment?: string): void {
    this.op('halt', { rs1 }, `halt ${r(rs1)}`, comment);
  }

  /** Halts with `code | rs` (a failure code whose low 12 bits are 0), built in rd. */
  haltWith(rd: number, code: number, rs: number, comment: string): void {
    this.lui(rd, code >>> 12);
    this.rrr('or', rd, rd, rs);
    this.halt(rd, comment);
  }

  io(rd: number, rs1: number, comment?: string): void {
    this.op('io', { rd, rs1 }, `io ${r(rd)}, ${r(rs1)}`, comment);
  }

  ret(): void {
    this.op('jalr', { rd: 0, rs1: 1, imm: 0 }, 'ret');
  }

  /** A conditional branch to a label; `beqz`/`bnez`/`bgez`/`bltz` text when rs2 is zero. */
  branch(mn: 'beq' | 'bne' | 'blt' | 'bge' | 'bltu' | 'bgeu', rs1: number, rs2: number, target: string): void {
    const short: Partial<Record<string, string>> = { beq: 'beqz', bne: 'bnez', bge: 'bgez', blt: 'bltz' };
    const text = rs2 === 0 && short[mn] ? `${short[mn]} ${r(rs1)}, ${target}` : `${mn} ${r(rs1)}, ${r(rs2)}, ${target}`;
    this.insn((pc, label) => ({ word: encode(mn, { rs1, rs2, imm: label(target) - pc }), text }));
  }

  /** `j label` (rd = zero) or `jal ra, label`. */
  jal(rd: number, target: string): void {
    const text = rd === 0 ? `j ${target}` : `jal ${r(rd)}, ${target}`;
    this.insn((pc, label) => ({ word: encode('jal', { rd, imm: label(target) - pc }), text }));
  }

  /** rd = the absolute address of a label, as lui + addi with the numbers written out. */
  la(rd: number, target: string): void {
    const parts = (label: (name: string) => number): { hi: number; lo: number } => {
      const a = label(target) | 0;
      const lo = (a << 20) >> 20;
      return { hi: ((a - lo) >>> 12) & 0xfffff, lo };
    };
    this.insn(
      (_pc, label) => {
        const { hi } = parts(label);
        return { word: encode('lui', { rd, imm: hi }), text: `lui ${r(rd)}, ${hex(hi)}` };
      },
      `${r(rd)} = ${target}`,
    );
    this.insn((_pc, label) => {
      const { lo } = parts(label);
      return { word: encode('addi', { rd, rs1: rd, imm: lo }), text: `addi ${r(rd)}, ${r(rd)}, ${lo}` };
    });
  }

  /** Lays the code out at `base`; `extra` labels (data) may be referenced too. */
  build(base: number, extra: ReadonlyMap<string, number> = new Map()): BuiltCode {
    const labels = new Map<string, number>(extra);
    let pc = base;
    for (const it of this.items) {
      if (it.kind === 'label') {
        if (labels.has(it.name)) throw new Error(`genprog: label '${it.name}' defined twice`);
        labels.set(it.name, pc);
      } else if (it.kind === 'insn') pc += 4;
    }
    const lookup = (name: string): number => {
      const a = labels.get(name);
      if (a === undefined) throw new Error(`genprog: undefined label '${name}'`);
      return a;
    };
    const words = new Uint32Array(this.count);
    const lines: string[] = [];
    pc = base;
    let i = 0;
    for (const it of this.items) {
      if (it.kind === 'label') lines.push(`${it.name}:`);
      else if (it.kind === 'comment') lines.push(`  # ${it.text}`);
      else {
        const { word, text } = it.resolve(pc, lookup);
        words[i++] = word;
        lines.push(it.comment !== undefined ? `  ${text.padEnd(28)} # ${it.comment}` : `  ${text}`);
        pc += 4;
      }
    }
    return { words, lines, labels };
  }
}
