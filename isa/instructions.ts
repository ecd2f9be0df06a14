/**
 * THE instruction table of the guest machine (RV32IM + Zicsr + privileged + Xshadow).
 *
 * Every other part of shadowvm that needs to know an encoding (decoder, encoder, disassembler,
 * interpreter dispatch, isa/ISA.md) derives it from these rows. No other file lists opcodes.
 */
import type { Format } from './formats.js';

/** Operand syntax, in assembly order. `imm(rs1)` is a memory operand; `target` is a pc-relative label. */
export type Syntax =
  | 'rd, rs1, rs2'
  | 'rd, rs1, imm'
  | 'rd, rs1, shamt'
  | 'rd, imm(rs1)'
  | 'rs2, imm(rs1)'
  | 'rs1, rs2, target'
  | 'rd, imm'
  | 'rd, target'
  | 'rd, csr, rs1'
  | 'rd, csr, uimm'
  | 'rd, rs1'
  | 'rs1'
  | 'pred, succ'
  | '';

/** Which part of the machine gives the instruction its meaning. */
export type Group = 'RV32I' | 'RV32M' | 'Zicsr' | 'privileged' | 'Xshadow';

export interface InstructionRow {
  /** Dense index of the row; interpreters switch on it. */
  readonly id: number;
  readonly mnemonic: string;
  readonly format: Format;
  /** Bits that must equal `match` under `mask`. */
  readonly match: number;
  readonly mask: number;
  readonly syntax: Syntax;
  /** Exits to the monitor when the guest executes it (spec section 2). `drain` is sensitive only when Drain_Priv = 1. */
  readonly sensitive: boolean | 'drain-priv';
  readonly group: Group;
  readonly summary: string;
}

const OPC = {
  LOAD: 0x03,
  CUSTOM0: 0x0b,
  MISC_MEM: 0x0f,
  OP_IMM: 0x13,
  AUIPC: 0x17,
  STORE: 0x23,
  CUSTOM1: 0x2b,
  OP: 0x33,
  LUI: 0x37,
  BRANCH: 0x63,
  JALR: 0x67,
  JAL: 0x6f,
  SYSTEM: 0x73,
} as const;

const M_OPC = 0x7f;
const M_F3 = 0x7000;
const M_F7 = 0xfe000000;
const M_RD = 0xf80;
const M_RS1 = 0xf8000;
const M_RS2 = 0x1f00000;
const M_IMM12 = 0xfff00000;

type Spec = Omit<InstructionRow, 'id' | 'match' | 'mask'> & { match: number; mask: number };

const f3 = (v: number): number => v << 12;
const f7 = (v: number): number => (v << 25) >>> 0;

function r(mnemonic: string, op: number, fn3: number, fn7: number, group: Group, summary: string, sensitive = false): Spec {
  return {
    mnemonic,
    format: 'R',
    match: (op | f3(fn3) | f7(fn7)) >>> 0,
    mask: (M_OPC | M_F3 | M_F7) >>> 0,
    syntax: 'rd, rs1, rs2',
    sensitive,
    group,
    summary,
  };
}
function i(mnemonic: string, op: number, fn3: number, syntax: Syntax, summary: string): Spec {
  return { mnemonic, format: 'I', match: op | f3(fn3), mask: M_OPC | M_F3, syntax, sensitive: false, group: 'RV32I', summary };
}
function shift(mnemonic: string, fn3: number, fn7: number, summary: string): Spec {
  return {
    mnemonic,
    format: 'I-shift',
    match: (OPC.OP_IMM | f3(fn3) | f7(fn7)) >>> 0,
    mask: (M_OPC | M_F3 | M_F7) >>> 0,
    syntax: 'rd, rs1, shamt',
    sensitive: false,
    group: 'RV32I',
    summary,
  };
}
function s(mnemonic: string, fn3: number, summary: string): Spec {
  return {
    mnemonic,
    format: 'S',
    match: OPC.STORE | f3(fn3),
    mask: M_OPC | M_F3,
    syntax: 'rs2, imm(rs1)',
    sensitive: false,
    group: 'RV32I',
    summary,
  };
}
function b(mnemonic: string, fn3: number, summary: string): Spec {
  return {
    mnemonic,
    format: 'B',
    match: OPC.BRANCH | f3(fn3),
    mask: M_OPC | M_F3,
    syntax: 'rs1, rs2, target',
    sensitive: false,
    group: 'RV32I',
    summary,
  };
}
function csr(mnemonic: string, fn3: number, summary: string): Spec {
  const imm = fn3 >= 5;
  return {
    mnemonic,
    format: imm ? 'CSRI' : 'CSR',
    match: OPC.SYSTEM | f3(fn3),
    mask: M_OPC | M_F3,
    syntax: imm ? 'rd, csr, uimm' : 'rd, csr, rs1',
    sensitive: true,
    group: 'Zicsr',
    summary,
  };
}
function fixed(mnemonic: string, word: number, group: Group, summary: string, sensitive: boolean | 'drain-priv'): Spec {
  return { mnemonic, format: 'FIXED', match: word >>> 0, mask: 0xffffffff, syntax: '', sensitive, group, summary };
}

const SPECS: Spec[] = [
  // RV32I
  {
    mnemonic: 'lui',
    format: 'U',
    match: OPC.LUI,
    mask: M_OPC,
    syntax: 'rd, imm',
    sensitive: false,
    group: 'RV32I',
    summary: 'rd = imm << 12',
  },
  {
    mnemonic: 'auipc',
    format: 'U',
    match: OPC.AUIPC,
    mask: M_OPC,
    syntax: 'rd, imm',
    sensitive: false,
    group: 'RV32I',
    summary: 'rd = pc + (imm << 12)',
  },
  {
    mnemonic: 'jal',
    format: 'J',
    match: OPC.JAL,
    mask: M_OPC,
    syntax: 'rd, target',
    sensitive: false,
    group: 'RV32I',
    summary: 'rd = pc + 4; pc += offset',
  },
  { ...i('jalr', OPC.JALR, 0, 'rd, imm(rs1)', 'rd = pc + 4; pc = (rs1 + imm) & ~1') },
  b('beq', 0, 'branch if rs1 == rs2'),
  b('bne', 1, 'branch if rs1 != rs2'),
  b('blt', 4, 'branch if rs1 < rs2 (signed)'),
  b('bge', 5, 'branch if rs1 >= rs2 (signed)'),
  b('bltu', 6, 'branch if rs1 < rs2 (unsigned)'),
  b('bgeu', 7, 'branch if rs1 >= rs2 (unsigned)'),
  i('lb', OPC.LOAD, 0, 'rd, imm(rs1)', 'load byte, sign-extended'),
  i('lh', OPC.LOAD, 1, 'rd, imm(rs1)', 'load halfword, sign-extended'),
  i('lw', OPC.LOAD, 2, 'rd, imm(rs1)', 'load word'),
  i('lbu', OPC.LOAD, 4, 'rd, imm(rs1)', 'load byte, zero-extended'),
  i('lhu', OPC.LOAD, 5, 'rd, imm(rs1)', 'load halfword, zero-extended'),
  s('sb', 0, 'store byte'),
  s('sh', 1, 'store halfword'),
  s('sw', 2, 'store word'),
  i('addi', OPC.OP_IMM, 0, 'rd, rs1, imm', 'rd = rs1 + imm'),
  i('slti', OPC.OP_IMM, 2, 'rd, rs1, imm', 'rd = rs1 < imm (signed)'),
  i('sltiu', OPC.OP_IMM, 3, 'rd, rs1, imm', 'rd = rs1 < imm (unsigned)'),
  i('xori', OPC.OP_IMM, 4, 'rd, rs1, imm', 'rd = rs1 ^ imm'),
  i('ori', OPC.OP_IMM, 6, 'rd, rs1, imm', 'rd = rs1 | imm'),
  i('andi', OPC.OP_IMM, 7, 'rd, rs1, imm', 'rd = rs1 & imm'),
  shift('slli', 1, 0x00, 'rd = rs1 << shamt'),
  shift('srli', 5, 0x00, 'rd = rs1 >>> shamt (logical)'),
  shift('srai', 5, 0x20, 'rd = rs1 >> shamt (arithmetic)'),
  r('add', OPC.OP, 0, 0x00, 'RV32I', 'rd = rs1 + rs2'),
  r('sub', OPC.OP, 0, 0x20, 'RV32I', 'rd = rs1 - rs2'),
  r('sll', OPC.OP, 1, 0x00, 'RV32I', 'rd = rs1 << (rs2 & 31)'),
  r('slt', OPC.OP, 2, 0x00, 'RV32I', 'rd = rs1 < rs2 (signed)'),
  r('sltu', OPC.OP, 3, 0x00, 'RV32I', 'rd = rs1 < rs2 (unsigned)'),
  r('xor', OPC.OP, 4, 0x00, 'RV32I', 'rd = rs1 ^ rs2'),
  r('srl', OPC.OP, 5, 0x00, 'RV32I', 'rd = rs1 >>> (rs2 & 31)'),
  r('sra', OPC.OP, 5, 0x20, 'RV32I', 'rd = rs1 >> (rs2 & 31)'),
  r('or', OPC.OP, 6, 0x00, 'RV32I', 'rd = rs1 | rs2'),
  r('and', OPC.OP, 7, 0x00, 'RV32I', 'rd = rs1 & rs2'),
  {
    mnemonic: 'fence',
    format: 'FENCE',
    match: OPC.MISC_MEM,
    mask: (M_OPC | M_F3 | M_RD | M_RS1 | 0xf0000000) >>> 0,
    syntax: 'pred, succ',
    sensitive: false,
    group: 'privileged',
    summary: 'memory ordering; a no-op on this machine',
  },
  fixed('ecall', 0x00000073, 'privileged', 'environment call: exception 8 (from U) or 11 (from M)', true),
  fixed('ebreak', 0x00100073, 'privileged', 'breakpoint: exception 3', true),
  fixed('mret', 0x30200073, 'privileged', 'return from a machine-mode trap', true),
  fixed('wfi', 0x10500073, 'privileged', 'wait for an interrupt', true),
  // Zicsr
  csr('csrrw', 1, 'rd = csr; csr = rs1'),
  csr('csrrs', 2, 'rd = csr; csr |= rs1'),
  csr('csrrc', 3, 'rd = csr; csr &= ~rs1'),
  csr('csrrwi', 5, 'rd = csr; csr = uimm'),
  csr('csrrsi', 6, 'rd = csr; csr |= uimm'),
  csr('csrrci', 7, 'rd = csr; csr &= ~uimm'),
  // RV32M
  r('mul', OPC.OP, 0, 0x01, 'RV32M', 'rd = low 32 bits of rs1 * rs2'),
  r('mulh', OPC.OP, 1, 0x01, 'RV32M', 'rd = high 32 bits of signed * signed'),
  r('mulhsu', OPC.OP, 2, 0x01, 'RV32M', 'rd = high 32 bits of signed * unsigned'),
  r('mulhu', OPC.OP, 3, 0x01, 'RV32M', 'rd = high 32 bits of unsigned * unsigned'),
  r('div', OPC.OP, 4, 0x01, 'RV32M', 'signed divide; x / 0 = -1, INT_MIN / -1 = INT_MIN'),
  r('divu', OPC.OP, 5, 0x01, 'RV32M', 'unsigned divide; x / 0 = 0xFFFFFFFF'),
  r('rem', OPC.OP, 6, 0x01, 'RV32M', 'signed remainder; x % 0 = x, INT_MIN % -1 = 0'),
  r('remu', OPC.OP, 7, 0x01, 'RV32M', 'unsigned remainder; x % 0 = x'),
  // Xshadow
  r('addv', OPC.CUSTOM0, 0, 0, 'Xshadow', 'rd = rs1 + rs2; deferred trap OVF on signed overflow'),
  r('subv', OPC.CUSTOM0, 1, 0, 'Xshadow', 'rd = rs1 - rs2; deferred trap OVF on signed overflow'),
  r('mulv', OPC.CUSTOM0, 2, 0, 'Xshadow', 'rd = low 32 bits of rs1 * rs2; OVF when the signed product does not fit'),
  r('divv', OPC.CUSTOM0, 3, 0, 'Xshadow', 'signed divide; DIVZ on rs2 = 0 (rd = -1), OVF on INT_MIN / -1 (rd = INT_MIN)'),
  fixed(
    'drain',
    OPC.CUSTOM0 | f3(4),
    'Xshadow',
    'deliver every pending deferred trap now; exits to the monitor when Drain_Priv = 1',
    'drain-priv',
  ),
  {
    mnemonic: 'io',
    format: 'I',
    match: OPC.CUSTOM1 | f3(0),
    mask: (M_OPC | M_F3 | M_IMM12) >>> 0,
    syntax: 'rd, rs1',
    sensitive: true,
    group: 'Xshadow',
    summary: 'submit the I/O request block at rs1; rd = status',
  },
  {
    mnemonic: 'halt',
    format: 'I',
    match: OPC.CUSTOM1 | f3(1),
    mask: (M_OPC | M_F3 | M_RD | M_IMM12) >>> 0,
    syntax: 'rs1',
    sensitive: true,
    group: 'Xshadow',
    summary: 'stop the machine; the exit code is rs1',
  },
];

export const INSTRUCTIONS: readonly InstructionRow[] = Object.freeze(SPECS.map((spec, id) => Object.freeze({ ...spec, id })));

/** Row by mnemonic. */
export const BY_MNEMONIC: ReadonlyMap<string, InstructionRow> = new Map(INSTRUCTIONS.map((row) => [row.mnemonic, row]));

/** Row id by mnemonic; throws on a typo so that a consumer cannot silently get `undefined`. */
export function idOf(mnemonic: string): number {
  const row = BY_MNEMONIC.get(mnemonic);
  if (!row) throw new Error(`isa: no instruction named '${mnemonic}'`);
  return row.id;
}

/** Mask of the `rs2` field, used by the decoder to tell `fence` variants apart. */
export const FIELD_MASK = { rd: M_RD, rs1: M_RS1, rs2: M_RS2 } as const;
