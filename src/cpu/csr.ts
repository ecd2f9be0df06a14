/**
 * The CSR file's behaviour, one tiny entry per CSR of isa/csrs.ts (bound by name, never by number):
 * what a read returns and what a write keeps. Access rules, RISC-V style:
 *  - a CSR not in the map is illegal;
 *  - csr[9:8] is the lowest privilege that may access it: U code touching an M CSR is illegal;
 *  - writing a CSR whose row says 'ro' is illegal (reads are fine).
 * Values are kept as unsigned 32-bit numbers. Nondeterministic CSRs (time, cycle, seed) come from the
 * environment (a monitor, or bare mode's computer): the processor never invents them.
 */
import { CSRS, MIP, MSTATUS } from '../../isa/csrs.js';
import type { CpuState, CsrFile } from './types.js';

/** What the processor asks of its environment for a nondeterministic read. */
export type NondetSource = (csr: number) => number;

interface CsrImpl {
  read(s: CpuState, nondet: NondetSource, csr: number): number;
  /** Absent for read-only CSRs. */
  write?(s: CpuState, value: number): void;
}

/** misa: MXL = 1 (RV32) and the extensions I, M, U, X (non-standard: Xshadow). */
const MISA =
  ((1 << 30) |
    (1 << ('I'.charCodeAt(0) - 65)) |
    (1 << ('M'.charCodeAt(0) - 65)) |
    (1 << ('U'.charCodeAt(0) - 65)) |
    (1 << ('X'.charCodeAt(0) - 65))) >>>
  0;

const constant = (v: number): CsrImpl => ({ read: () => v });
const nondet: CsrImpl = { read: (_s, env, csr) => env(csr) >>> 0 };
/** A plain stored register; `mask` keeps the bits that exist. */
const stored = (name: keyof CsrFile, mask = 0xffffffff): CsrImpl => ({
  read: (s) => s.csr[name] >>> 0,
  write: (s, v) => {
    s.csr[name] = (v & mask) >>> 0;
  },
});
const instretLow: CsrImpl = { read: (s) => s.instret >>> 0 };
const instretHigh: CsrImpl = { read: (s) => Math.floor(s.instret / 4294967296) >>> 0 };

const IMPLS: Readonly<Record<string, CsrImpl>> = {
  seed: { read: nondet.read, write: () => {} },
  cycle: nondet,
  time: nondet,
  cycleh: nondet,
  timeh: nondet,
  mcycle: nondet,
  mcycleh: nondet,
  instret: instretLow,
  instreth: instretHigh,
  minstret: instretLow,
  minstreth: instretHigh,
  mvendorid: constant(0),
  marchid: constant(0),
  mimpid: constant(0),
  mhartid: constant(0),
  misa: constant(MISA),
  mstatus: {
    read: (s) => s.csr.mstatus >>> 0,
    write: (s, v) => {
      // MPP is WARL over the modes that exist: 3 stays M, anything else becomes U.
      const mpp = (v & MSTATUS.MPP_MASK) >>> MSTATUS.MPP_SHIFT === 3 ? MSTATUS.MPP_MASK : 0;
      s.csr.mstatus = ((v & (MSTATUS.MIE | MSTATUS.MPIE)) | mpp) >>> 0;
    },
  },
  mie: stored('mie', MIP.MTIP | MIP.MEIP),
  mip: stored('mip', MIP.MTIP | MIP.MEIP),
  mtvec: stored('mtvec', ~3),
  mepc: stored('mepc', ~3),
  mscratch: stored('mscratch'),
  mcause: stored('mcause'),
  mtval: stored('mtval'),
  xtv1: stored('xtv1'),
  xtv2: stored('xtv2'),
  xioq: stored('xioq'),
  xioqn: stored('xioqn'),
  xtimer: stored('xtimer'),
};

interface Bound {
  readonly impl: CsrImpl;
  readonly writable: boolean;
}

const BY_NUMBER = new Map<number, Bound>();
for (const row of CSRS) {
  const impl = IMPLS[row.name];
  if (!impl) throw new Error(`cpu: no behaviour for CSR '${row.name}'`);
  if ((row.access === 'rw') !== (impl.write !== undefined)) throw new Error(`cpu: CSR '${row.name}' access disagrees with isa/csrs.ts`);
  BY_NUMBER.set(row.number, { impl, writable: row.access === 'rw' });
}

/** True when code in `mode` may perform this access to CSR `csr`. */
export function csrAllowed(csr: number, mode: number, write: boolean): boolean {
  const b = BY_NUMBER.get(csr);
  if (!b) return false;
  if (((csr >>> 8) & 3) > mode) return false;
  return !write || b.writable;
}

/** Reads a CSR (the caller checked csrAllowed). */
export function readCsr(s: CpuState, csr: number, env: NondetSource): number {
  return BY_NUMBER.get(csr)!.impl.read(s, env, csr);
}

/** Writes a CSR (the caller checked csrAllowed). */
export function writeCsr(s: CpuState, csr: number, value: number): void {
  BY_NUMBER.get(csr)!.impl.write!(s, value);
}
