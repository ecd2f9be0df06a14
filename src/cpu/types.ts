/**
 * The virtual processor's contract: its state (one plain, serialisable object) and why `run` stops.
 * The processor knows nothing of monitors: a monitor is a policy around `run()` and the sensitive-
 * instruction hooks of `SensitiveEnv`.
 */

/** Guest CSRs kept in the processor. Counters, time and constants are computed, not stored. */
export interface CsrFile {
  mstatus: number;
  mtvec: number;
  mepc: number;
  mcause: number;
  mtval: number;
  mscratch: number;
  mie: number;
  mip: number;
  xtv1: number;
  xtv2: number;
  xioq: number;
  xioqn: number;
  xtimer: number;
}

/** The deferred-trap hardware buffer (spec 3): pending vectors and the instructions left before it delivers. */
export interface TrapUnitState {
  v1: number;
  v2: number;
  /** Instructions still to execute before the pending traps are delivered; -1 when nothing is pending. */
  countdown: number;
  /** Largest delay D drawn for a new pending trap (0..D). */
  maxDelay: number;
  /** xorshift128 state (4 x uint32) of the computer's trap-delay random stream. */
  rng: Uint32Array;
}

export interface CpuState {
  /** x0..x31; x0 always reads 0. */
  regs: Int32Array;
  /** Unsigned 32-bit address of the next instruction. */
  pc: number;
  /** 3 = M (the guest kernel), 0 = U (its applications). */
  mode: 0 | 3;
  csr: CsrFile;
  /** RAM, mapped at RAM_BASE. Its length is a multiple of 4096. */
  ram: Uint8Array;
  /** One byte per 4 KiB page of RAM, set to 1 by every write to the page (stores and device DMA alike). */
  dirty: Uint8Array;
  /** Instructions retired (an instruction that takes a precise exception counts too). */
  instret: number;
  /** Recovery register: instructions left before the recovery-register interrupt; 0 = disarmed. */
  rr: number;
  trap: TrapUnitState;
  /** Processor status bit Drain_Priv: 1 makes `drain` exit to the monitor. */
  drainPriv: 0 | 1;
}

/** Why `run(budget)` returned. Faults are data: a guest can never throw a host exception. */
export type Stop =
  /** The budget of instructions is used up. */
  | { kind: 'budget' }
  /** The recovery register reached 0 after the last instruction executed (rr is now 0, disarmed). */
  | { kind: 'rr' }
  /** The trap unit's delay elapsed (`forced: 'delay'`) or a `drain` ran with Drain_Priv = 0 (`forced: 'drain'`):
   *  the hardware delivers its pending traps now; the caller takes them with `takeHardwareTraps`. */
  | { kind: 'traps'; forced: 'delay' | 'drain' }
  /** pc is at a sensitive instruction, which has NOT executed and has not counted. The caller emulates it with
   *  `executeSensitive` (which counts it). Pending hardware traps are due now too (forced point C). */
  | { kind: 'sensitive'; word: number }
  /** The instruction at pc took a precise exception (it counted; pc is still at it). The caller reflects it into
   *  the guest with `takeException`. Pending hardware traps are due now too (forced point C). */
  | { kind: 'exception'; cause: number; tval: number }
  /** A debugger's breakpoint (Cpu.armBreakpoints): pc is at one, not executed, and at least one instruction
   *  ran in this run or the instruction at pc is not the one the breakpoints were armed past. */
  | { kind: 'break' };

/** A trap the guest cannot take because mtvec is 0: the machine stops with this reason. */
export interface GuestFault {
  pc: number;
  cause: number;
  tval: number;
  /** The instruction word at pc (for the report, which disassembles it), or undefined when pc is outside RAM. */
  word: number | undefined;
}
