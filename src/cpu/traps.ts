/**
 * Trap entry and return on the processor's plain state: the one place that moves mstatus, mepc, mcause,
 * mtval, the mode and pc for exceptions, interrupts and deferred-trap delivery alike. Also what a caller
 * does between runs (through Cpu, cpu.ts): take the trap unit's buffer, deliver deferred traps, take a
 * pending interrupt.
 */
import { CAUSE, MIP, MSTATUS } from '../../isa/csrs.js';
import type { CpuState, GuestFault, TrapUnitState } from './types.js';

const INTERRUPT_BIT = 0x80000000;

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

/** Flushes and clears the trap unit's buffer (also cancels its countdown); returns what it held. */
export function takeHardwareTraps(t: TrapUnitState): { v1: number; v2: number } {
  const r = { v1: t.v1 >>> 0, v2: t.v2 >>> 0 };
  t.v1 = 0;
  t.v2 = 0;
  t.countdown = -1;
  return r;
}

/** The guest can take a deferred-trap delivery now: it runs in U, or in M with mstatus.MIE set. */
export function canTakeDeferred(s: CpuState): boolean {
  return s.mode === 0 || (s.csr.mstatus & MSTATUS.MIE) !== 0;
}

/**
 * Delivers deferred traps to the guest (spec 4.1): mcause 24, mepc = pc (the next instruction to execute),
 * xtv1 |= v1, xtv2 |= v2. Call only when canTakeDeferred(). mtvec 0 gives a GuestFault (xtv untouched).
 */
export function deliverDeferred(s: CpuState, v1: number, v2: number, wordAt: WordAt): GuestFault | undefined {
  const fault = enterTrap(s, CAUSE.DEFERRED_TRAP, 0, s.pc, wordAt);
  if (fault) return fault;
  s.csr.xtv1 = (s.csr.xtv1 | v1) >>> 0;
  s.csr.xtv2 = (s.csr.xtv2 | v2) >>> 0;
  return undefined;
}

/**
 * Takes a pending interrupt if the guest can: (mie & mip) != 0 and (mode U or mstatus.MIE), RISC-V style.
 * External (MEIP) before timer (MTIP). True when one was taken, false when none could be, a GuestFault
 * when mtvec is 0.
 */
export function takePendingInterrupt(s: CpuState, wordAt: WordAt): GuestFault | boolean {
  const c = s.csr;
  const pending = c.mip & c.mie;
  if (pending === 0) return false;
  if (s.mode === 3 && (c.mstatus & MSTATUS.MIE) === 0) return false;
  const code = (pending & MIP.MEIP) !== 0 ? CAUSE.EXTERNAL_INTERRUPT : CAUSE.TIMER_INTERRUPT;
  return enterTrap(s, INTERRUPT_BIT | code, 0, s.pc, wordAt) ?? true;
}
