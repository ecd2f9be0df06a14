/**
 * Pseudo-instructions and the extra operand forms of real ones, with GNU as's exact expansions
 * (binutils 2.40, non-PIC, no relaxation). Each form carries its syntax and expansion as text, from
 * which isa/ISA.md documents them.
 */
import { IMM_RANGE } from '../../isa/formats.js';
import type { Operand } from './ast.js';
import type { Asm } from './context.js';
import { addForm, asImm, asMem, branch, ins, row } from './forms.js';
import { LineError } from './line-error.js';
import { csr, imm, low32, memBase, memOffset, reg, target } from './operands.js';

const RA = 1;
const T1 = 6;
const sext12 = (v: number): number => (v << 20) >> 20;

type Emit = (a: Asm, o: readonly Operand[], col: number) => void;
function pseudo(name: string, sig: string, syntax: string, expansion: string, emit: Emit): void {
  addForm(name, { sig, syntax, expansion, emit });
}

/**
 * hi20/lo12 of `symbol - pc` for an auipc at the current location; zeros in pass 1. In an object, the
 * pair is a relocation: `lo` names a `PCREL_LO12_I`/`_S` (against the auipc) or, for a call, one `CALL_PLT`.
 */
function pcrel(a: Asm, op: Operand, lo: 'PCREL_LO12_I' | 'PCREL_LO12_S' | 'CALL_PLT' = 'PCREL_LO12_I'): { hi: number; lo: number } {
  if (op.kind === 'mem') throw new LineError(op.col, `expected a symbol, found '${op.text}'`);
  if (op.kind === 'reloc') throw new LineError(op.col, `%${op.fn} is not allowed here`);
  if (a.pass === 1) return { hi: 0, lo: 0 };
  if (a.relocatable) {
    const v = a.tryValue(op.e)!;
    if (v.sec === undefined)
      throw new LineError(op.col, `a pc-relative reference to a constant address is not supported in an object file`);
    if (lo === 'CALL_PLT') a.addReloc('CALL_PLT', v, op.e);
    else {
      a.addReloc('PCREL_HI20', v, op.e);
      a.addLabelReloc(lo, a.cur, a.cur.off, 4);
    }
    return { hi: 0, lo: 0 };
  }
  const delta = (low32(a.value(op.e)) - a.pc()) | 0;
  return { hi: ((delta + 0x800) >>> 12) & 0xfffff, lo: sext12(delta) };
}

// ---- constants and addresses

pseudo('nop', '', '', 'addi x0, x0, 0', (a, _o, c) => ins(a, 'addi', { rd: 0, rs1: 0, imm: 0 }, c));

const LI_MIN = -(2n ** 31n);
const LI_MAX = 2n ** 32n - 1n;
pseudo(
  'li',
  'r,i',
  'rd, imm',
  'addi rd, x0, imm (imm in -2048..2047); else lui rd, %hi(imm) then, if %lo(imm) != 0, addi rd, rd, %lo(imm)',
  (a, o, c) => {
    const rd = reg(o[0]!);
    const op = asImm(o[1]!);
    if (op.kind === 'reloc') throw new LineError(op.col, `%${op.fn} is not allowed here`);
    const v = a.constant(op.e, op.col, 'the value of li');
    if (v < LI_MIN || v > LI_MAX) throw new LineError(op.col, `immediate ${v} out of range ${LI_MIN}..${LI_MAX}`);
    const v32 = Number(BigInt.asIntN(32, v));
    const lower = sext12(v32);
    const upper = (v32 - lower) | 0;
    if (upper !== 0) ins(a, 'lui', { rd, imm: (upper >>> 12) & 0xfffff }, c);
    if (lower !== 0 || upper === 0) ins(a, 'addi', { rd, rs1: upper !== 0 ? rd : 0, imm: lower }, c);
  },
);

for (const name of ['la', 'lla']) {
  pseudo(name, 'r,i', 'rd, symbol', 'auipc rd, %pcrel_hi(symbol); addi rd, rd, %pcrel_lo(symbol)', (a, o, c) => {
    const rd = reg(o[0]!);
    const { hi, lo } = pcrel(a, o[1]!);
    ins(a, 'auipc', { rd, imm: hi }, c);
    ins(a, 'addi', { rd, rs1: rd, imm: lo }, c);
  });
}

for (const name of ['lb', 'lh', 'lw', 'lbu', 'lhu']) {
  pseudo(name, 'r,i', 'rd, symbol', `auipc rd, %pcrel_hi(symbol); ${name} rd, %pcrel_lo(symbol)(rd)`, (a, o, c) => {
    const rd = reg(o[0]!);
    const { hi, lo } = pcrel(a, o[1]!);
    ins(a, 'auipc', { rd, imm: hi }, c);
    ins(a, name, { rd, rs1: rd, imm: lo }, c);
  });
}
for (const name of ['sb', 'sh', 'sw']) {
  pseudo(name, 'r,i,r', 'rs2, symbol, rt', `auipc rt, %pcrel_hi(symbol); ${name} rs2, %pcrel_lo(symbol)(rt)`, (a, o, c) => {
    const rs2 = reg(o[0]!);
    const rt = reg(o[2]!);
    const { hi, lo } = pcrel(a, o[1]!, 'PCREL_LO12_S');
    ins(a, 'auipc', { rd: rt, imm: hi }, c);
    ins(a, name, { rs2, rs1: rt, imm: lo }, c);
  });
}

// ---- register moves and comparisons

const two = (name: string, expansion: string, make: (rd: number, rs: number) => [string, Record<string, number>]): void =>
  pseudo(name, 'r,r', 'rd, rs', expansion, (a, o, c) => {
    const [m, ops] = make(reg(o[0]!), reg(o[1]!));
    ins(a, m, ops, c);
  });
two('mv', 'addi rd, rs, 0', (rd, rs) => ['addi', { rd, rs1: rs, imm: 0 }]);
two('not', 'xori rd, rs, -1', (rd, rs) => ['xori', { rd, rs1: rs, imm: -1 }]);
two('neg', 'sub rd, x0, rs', (rd, rs) => ['sub', { rd, rs1: 0, rs2: rs }]);
two('seqz', 'sltiu rd, rs, 1', (rd, rs) => ['sltiu', { rd, rs1: rs, imm: 1 }]);
two('snez', 'sltu rd, x0, rs', (rd, rs) => ['sltu', { rd, rs1: 0, rs2: rs }]);
two('sltz', 'slt rd, rs, x0', (rd, rs) => ['slt', { rd, rs1: rs, rs2: 0 }]);
two('sgtz', 'slt rd, x0, rs', (rd, rs) => ['slt', { rd, rs1: 0, rs2: rs }]);
two('zext.b', 'andi rd, rs, 255', (rd, rs) => ['andi', { rd, rs1: rs, imm: 255 }]);
for (const [name, base] of [
  ['sgt', 'slt'],
  ['sgtu', 'sltu'],
] as const) {
  pseudo(name, 'r,r,r', 'rd, rs, rt', `${base} rd, rt, rs`, (a, o, c) =>
    ins(a, base, { rd: reg(o[0]!), rs1: reg(o[2]!), rs2: reg(o[1]!) }, c),
  );
}

// ---- branches and jumps

const zeroBranch: [string, string, boolean][] = [
  ['beqz', 'beq', false],
  ['bnez', 'bne', false],
  ['bltz', 'blt', false],
  ['bgez', 'bge', false],
  ['blez', 'bge', true],
  ['bgtz', 'blt', true],
];
for (const [name, base, swap] of zeroBranch) {
  pseudo(name, 'r,i', 'rs, label', swap ? `${base} x0, rs, label` : `${base} rs, x0, label`, (a, o, c) => {
    const rs = reg(o[0]!);
    branch(a, base, swap ? 0 : rs, swap ? rs : 0, o[1]!, c);
  });
}
for (const [name, base] of [
  ['bgt', 'blt'],
  ['ble', 'bge'],
  ['bgtu', 'bltu'],
  ['bleu', 'bgeu'],
] as const) {
  pseudo(name, 'r,r,i', 'rs, rt, label', `${base} rt, rs, label`, (a, o, c) => branch(a, base, reg(o[1]!), reg(o[0]!), o[2]!, c));
}

pseudo('j', 'i', 'label', 'jal x0, label', (a, o, c) => ins(a, 'jal', { rd: 0, imm: target(a, o[0]!, 'j') }, c));
pseudo('jal', 'i', 'label', 'jal ra, label', (a, o, c) => ins(a, 'jal', { rd: RA, imm: target(a, o[0]!, 'j') }, c));
pseudo('ret', '', '', 'jalr x0, 0(ra)', (a, _o, c) => ins(a, 'jalr', { rd: 0, rs1: RA, imm: 0 }, c));

/** `jalr`/`jr` forms with an implied destination. */
function jumpReg(name: string, rd: number | undefined): void {
  const dest = rd === undefined ? 'rd' : rd === 0 ? 'x0' : 'ra';
  const pre = rd === undefined ? 'rd, ' : '';
  const d = (a: Asm, o: readonly Operand[]): number => (rd === undefined ? reg(o[0]!) : rd);
  const k = rd === undefined ? 1 : 0;
  const sig = (s: string): string => (rd === undefined ? `r,${s}` : s);
  if (rd !== undefined) {
    pseudo(name, 'r', 'rs', `jalr ${dest}, 0(rs)`, (a, o, c) => ins(a, 'jalr', { rd: d(a, o), rs1: reg(o[0]!), imm: 0 }, c));
    pseudo(name, 'm', 'imm(rs)', `jalr ${dest}, imm(rs)`, (a, o, c) => {
      const m = asMem(o[0]!);
      ins(a, 'jalr', { rd: d(a, o), rs1: memBase(m), imm: memOffset(a, m, 'i') }, c);
    });
  } else {
    pseudo(name, 'r,r', 'rd, rs', 'jalr rd, 0(rs)', (a, o, c) => ins(a, 'jalr', { rd: d(a, o), rs1: reg(o[1]!), imm: 0 }, c));
  }
  pseudo(name, sig('r,i'), `${pre}rs, imm`, `jalr ${dest}, imm(rs)`, (a, o, c) =>
    ins(a, 'jalr', { rd: d(a, o), rs1: reg(o[k]!), imm: imm(a, asImm(o[k + 1]!), 'i') }, c),
  );
}
jumpReg('jalr', RA);
jumpReg('jalr', undefined);
jumpReg('jr', 0);

/** auipc + jalr through a scratch register, as GNU's call/tail/jump. */
function far(a: Asm, o: Operand, rd: number, tmp: number, c: number): void {
  const { hi, lo } = pcrel(a, o, 'CALL_PLT');
  ins(a, 'auipc', { rd: tmp, imm: hi }, c);
  ins(a, 'jalr', { rd, rs1: tmp, imm: lo }, c);
}
pseudo('call', 'i', 'symbol', 'auipc ra, %pcrel_hi(symbol); jalr ra, %pcrel_lo(symbol)(ra)', (a, o, c) => far(a, o[0]!, RA, RA, c));
pseudo('call', 'r,i', 'rd, symbol', 'auipc t1, %pcrel_hi(symbol); jalr rd, %pcrel_lo(symbol)(t1)', (a, o, c) =>
  far(a, o[1]!, reg(o[0]!), T1, c),
);
pseudo('tail', 'i', 'symbol', 'auipc t1, %pcrel_hi(symbol); jalr x0, %pcrel_lo(symbol)(t1)', (a, o, c) => far(a, o[0]!, 0, T1, c));
pseudo('jump', 'i,r', 'symbol, rt', 'auipc rt, %pcrel_hi(symbol); jalr x0, %pcrel_lo(symbol)(rt)', (a, o, c) =>
  far(a, o[0]!, 0, reg(o[1]!), c),
);

// ---- system

pseudo('scall', '', '', 'ecall (the old name)', (a, _o, c) => ins(a, 'ecall', {}, c));
pseudo('sbreak', '', '', 'ebreak (the old name)', (a, _o, c) => ins(a, 'ebreak', {}, c));
pseudo('fence', '', '', 'fence iorw, iorw', (a, _o, c) => ins(a, 'fence', { pred: 15, succ: 15 }, c));
pseudo('unimp', '', '', 'csrrw x0, cycle, x0', (a, _o, c) => ins(a, 'csrrw', { rd: 0, csr: 0xc00, rs1: 0 }, c));

pseudo('csrr', 'r,i', 'rd, csr', 'csrrs rd, csr, x0', (a, o, c) => ins(a, 'csrrs', { rd: reg(o[0]!), csr: csr(a, o[1]!), rs1: 0 }, c));
for (const op of ['w', 's', 'c']) {
  const base = `csrr${op}`;
  pseudo(`csr${op}`, 'i,r', 'csr, rs', `${base} x0, csr, rs`, (a, o, c) => ins(a, base, { rd: 0, csr: csr(a, o[0]!), rs1: reg(o[1]!) }, c));
  const immForm: Emit = (a, o, c) => ins(a, `${base}i`, { rd: 0, csr: csr(a, o[0]!), imm: imm(a, asImm(o[1]!), 'uimm5') }, c);
  pseudo(`csr${op}`, 'i,i', 'csr, uimm', `${base}i x0, csr, uimm`, immForm);
  pseudo(`csr${op}i`, 'i,i', 'csr, uimm', `${base}i x0, csr, uimm`, immForm);
}
for (const [name, number] of [
  ['rdcycle', 0xc00],
  ['rdtime', 0xc01],
  ['rdinstret', 0xc02],
  ['rdcycleh', 0xc80],
  ['rdtimeh', 0xc81],
  ['rdinstreth', 0xc82],
] as const) {
  const csrName = name.slice(2);
  pseudo(name, 'r', 'rd', `csrrs rd, ${csrName}, x0`, (a, o, c) => ins(a, 'csrrs', { rd: reg(o[0]!), csr: number, rs1: 0 }, c));
}

/** Checked at load: every base mnemonic the expansions use exists in the table. */
for (const m of ['addi', 'lui', 'auipc', 'jal', 'jalr', 'fence', 'csrrs', 'csrrw', 'sub', 'sltu', 'slt', 'sltiu', 'xori']) row(m);
export const LI_RANGE = { min: LI_MIN, max: LI_MAX, i: IMM_RANGE.i } as const;
