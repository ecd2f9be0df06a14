/**
 * Operands of instructions: registers, immediates (with `%hi`/`%lo`/`%pcrel_hi`/`%pcrel_lo`), branch
 * targets and CSRs, each checked against the range of its field with a message that names it.
 */
import { CSR_BY_NAME } from '../../isa/csrs.js';
import { IMM_RANGE, type ImmKind } from '../../isa/formats.js';
import type { Imm, Operand } from './ast.js';
import type { Asm } from './context.js';
import { LineError } from './line-error.js';
import { parseRegister } from './registers.js';
import { STANDARD_CSRS } from './csr-names.js';
import type { Section } from './sections.js';

/** Shape of an operand, used to choose between the forms of a mnemonic. */
export type Shape = 'r' | 'm' | 'i';

export function shapeOf(op: Operand): Shape {
  if (op.kind === 'mem') return 'm';
  if (op.kind === 'expr' && op.e.k === 'sym' && parseRegister(op.e.name) !== undefined) return 'r';
  return 'i';
}

export function reg(op: Operand): number {
  if (op.kind === 'expr' && op.e.k === 'sym') {
    const r = parseRegister(op.e.name);
    if (r !== undefined) return r;
  }
  throw new LineError(op.col, `bad register '${op.text}'`);
}

const sext12 = (v: number): number => (v << 20) >> 20;
const hi20 = (v: number): number => ((v + 0x800) >>> 12) & 0xfffff;

function checkRange(value: bigint, kind: ImmKind, col: number, what = 'immediate'): number {
  const r = IMM_RANGE[kind];
  if (value < BigInt(r.min) || value > BigInt(r.max)) {
    throw new LineError(col, `${what} ${value} out of range ${r.min}..${r.max}`);
  }
  return Number(value);
}

/** Low 32 bits of a value, as a signed number. */
export const low32 = (v: bigint): number => Number(BigInt.asIntN(32, v));

/**
 * An immediate for a field of `kind` ('i' and 's' take %lo/%pcrel_lo, 'u' takes %hi/%pcrel_hi).
 * Returns 0 in pass 1. `pc` is the address of the instruction, for %pcrel_hi.
 */
export function imm(a: Asm, op: Imm, kind: ImmKind): number {
  if (op.kind === 'reloc') {
    const lo = op.fn === 'lo' || op.fn === 'pcrel_lo';
    if ((kind === 'u') === lo || (kind !== 'u' && kind !== 'i' && kind !== 's')) {
      throw new LineError(op.col, `%${op.fn} is not allowed here`);
    }
    if (a.pass === 1) return 0;
    if (a.relocatable) {
      const r = objectImm(a, op, kind);
      if (r !== undefined) return r;
    }
    const v = low32(a.value(op.e));
    switch (op.fn) {
      case 'hi':
        return hi20(v);
      case 'lo':
        return sext12(v);
      case 'pcrel_hi':
        return hi20(v - a.pc());
      case 'pcrel_lo':
        return sext12(pcrelLoTarget(a, op) - (v >>> 0));
    }
  }
  if (a.pass === 1) return 0;
  return checkRange(a.value(op.e), kind, op.col);
}

/**
 * In an object, `%hi`/`%lo` of an address and every `%pcrel_hi`/`%pcrel_lo` are relocations (field 0);
 * undefined when the value is a constant that the usual rules encode.
 */
function objectImm(a: Asm, op: Imm & { kind: 'reloc' }, kind: ImmKind): number | undefined {
  const v = a.tryValue(op.e)!;
  const store = kind === 's';
  switch (op.fn) {
    case 'hi':
      if (v.sec === undefined) return undefined;
      a.addReloc('HI20', v, op.e);
      return 0;
    case 'lo':
      if (v.sec === undefined) return undefined;
      a.addReloc(store ? 'LO12_S' : 'LO12_I', v, op.e);
      return 0;
    case 'pcrel_hi':
      if (v.sec === undefined) throw new LineError(op.col, '%pcrel_hi of a constant address is not supported in an object file');
      a.addReloc('PCREL_HI20', v, op.e);
      return 0;
    case 'pcrel_lo': {
      const sec = v.sec as Section | undefined;
      const site = sec && a.pcrelHi.get(sec)?.get(Number(v.v));
      if (!sec || !site) throw new LineError(op.col, `%pcrel_lo: '${op.text}' is not the label of an auipc with %pcrel_hi`);
      a.addLabelReloc(store ? 'PCREL_LO12_S' : 'PCREL_LO12_I', sec, Number(v.v));
      return 0;
    }
  }
}

/** The target of the `auipc` at the label given to %pcrel_lo. */
function pcrelLoTarget(a: Asm, op: Imm): number {
  const addr = low32(a.value(op.e)) >>> 0;
  for (const [sec, sites] of a.pcrelHi) {
    const site = sites.get(addr - sec.base);
    if (site) return low32(a.valueAtPlace(site.e, site.index, sec, addr - sec.base)!.v);
  }
  throw new LineError(op.col, `%pcrel_lo: no auipc with %pcrel_hi at 0x${addr.toString(16)}`);
}

/** A memory operand's offset (`off(base)`), checked as a 12-bit immediate. */
export function memOffset(a: Asm, op: Operand & { kind: 'mem' }, kind: 'i' | 's'): number {
  return op.off ? imm(a, op.off, kind) : 0;
}

export function memBase(op: Operand & { kind: 'mem' }): number {
  const r = parseRegister(op.base);
  if (r === undefined) throw new LineError(op.baseCol, `bad register '${op.base}'`);
  return r;
}

/** A branch ('b') or jump ('j') target, as an offset from the instruction; 0 in pass 1. */
export function target(a: Asm, op: Operand, kind: 'b' | 'j'): number {
  if (op.kind !== 'expr') throw new LineError(op.col, `expected a label, found '${op.text}'`);
  if (a.pass === 1) return 0;
  if (a.relocatable) {
    const v = a.tryValue(op.e)!;
    if (v.sec === undefined)
      throw new LineError(op.col, `a ${kind === 'b' ? 'branch' : 'jump'} to a constant address is not supported in an object file`);
    if (v.sec !== a.cur || a.isPreemptible(op.e)) {
      a.addReloc(kind === 'b' ? 'BRANCH' : 'JAL', v, op.e);
      return 0;
    }
  }
  const to = a.relocatable ? a.tryValue(op.e)!.v : a.value(op.e);
  const off = BigInt.asIntN(32, to - BigInt(a.pc()));
  const what = kind === 'b' ? 'branch' : 'jump';
  if (off % 2n !== 0n) throw new LineError(op.col, `misaligned ${what} target 0x${BigInt.asUintN(32, to).toString(16)}`);
  return checkRange(off, kind, op.col, `${what} offset`);
}

/** A CSR: a name from the CSR map or a number 0..4095. */
export function csr(a: Asm, op: Operand): number {
  if (op.kind === 'expr' && op.e.k === 'sym') {
    const row = CSR_BY_NAME.get(op.e.name);
    if (row) return row.number;
    const std = STANDARD_CSRS.get(op.e.name);
    if (std !== undefined) return std;
    if (a.pass === 1 && !a.symbols.has(op.e.name)) throw new LineError(op.col, `unknown CSR '${op.e.name}'`);
  }
  if (op.kind !== 'expr') throw new LineError(op.col, `expected a CSR, found '${op.text}'`);
  if (a.pass === 1) return 0;
  return checkRange(a.value(op.e), 'csr', op.col, 'CSR number');
}

const FENCE_BITS: Readonly<Record<string, number>> = { i: 8, o: 4, r: 2, w: 1 };

/** A fence predecessor/successor set: letters from `iorw`, or a number 0..15. */
export function fenceSet(a: Asm, op: Operand): number {
  if (op.kind === 'expr' && op.e.k === 'sym' && /^[iorw]+$/.test(op.e.name)) {
    let v = 0;
    for (const c of op.e.name) v |= FENCE_BITS[c]!;
    return v;
  }
  if (op.kind !== 'expr' || (op.e.k === 'sym' && a.pass === 2 && !a.symbols.has(op.e.name))) {
    throw new LineError(op.col, `bad fence operand '${op.text}'`);
  }
  if (a.pass === 1) return 0;
  const v = a.value(op.e);
  if (v < 0n || v > 15n) throw new LineError(op.col, `bad fence operand '${op.text}'`);
  return Number(v);
}
