/**
 * Trap entry and return on the processor's plain state: the one place that moves mstatus, mepc, mcause,
 * mtval, the mode and pc for exceptions, interrupts and deferred-trap delivery alike.
 */
import { MSTATUS } from '../../isa/csrs.js';
import type { CpuState, GuestFault } from './types.js';

/** The instruction word at `pc`, or undefined when pc is not an aligned address in RAM. */
export type WordAt = (pc: number) => number | undefined;

/**
 * Takes a trap into the guest's handler: mepc = epc, mcause = cause (bit 31 set by the caller for
 * interrupts), mtval = tval, MPIE = MIE, MIE = 0, MPP = mode, mode = M, pc = mtvec.
 * With mtvec = 0 nothing changes and the machine stops with a GuestFault naming pc and cause.
 */
export function enterTrap(s: CpuState, cause: number, tval: number, epc: number, wordAt: WordAt): GuestFault | undefined {
  const c = s.csr;
  if (c.mtvec === 0) return { pc: s.pc >>> 0, cause: cause >>> 0, tval: tval >>> 0, word: wordAt(s.pc) };
  c.mepc = epc >>> 0;
  c.mcause = cause >>> 0;
  c.mtval = tval >>> 0;
  const mie = (c.mstatus & MSTATUS.MIE) !== 0;
  c.mstatus = (c.mstatus & ~(MSTATUS.MIE | MSTATUS.MPIE | MSTATUS.MPP_MASK)) | (mie ? MSTATUS.MPIE : 0) | (s.mode << MSTATUS.MPP_SHIFT);
  s.mode = 3;
  s.pc = c.mtvec >>> 0;
  return undefined;
}

/** mret: pc = mepc, mode = MPP, MIE = MPIE, MPIE = 1, MPP = U. */
export function returnFromTrap(s: CpuState): void {
  const c = s.csr;
  const mpp = (c.mstatus & MSTATUS.MPP_MASK) >>> MSTATUS.MPP_SHIFT;
  const mpie = (c.mstatus & MSTATUS.MPIE) !== 0;
  c.mstatus = (c.mstatus & ~(MSTATUS.MIE | MSTATUS.MPP_MASK)) | MSTATUS.MPIE | (mpie ? MSTATUS.MIE : 0);
  s.mode = mpp === 3 ? 3 : 0;
  s.pc = c.mepc >>> 0;
}
