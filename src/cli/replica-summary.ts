/**
 * What the steppers show of one replica, read once for the text view (stepper.ts) and the browser's
 * (web/state.ts): status, where the pc is, the recovery register, buffered and pending traps and interrupts.
 */
import type { Monitor } from '../vmm/monitor.js';
import type { ProgramImage } from '../../isa/image.js';
import { RAM_BASE } from '../../isa/csrs.js';

export interface ReplicaSummary {
  readonly role: string;
  /** failed, halted (N), guest fault, diverged or running. */
  readonly status: string;
  readonly pc: number;
  /** The nearest symbol at or below the pc, as `name+0xN`; empty without one. */
  readonly where: string;
  /** The instruction word at the pc; undefined outside RAM. */
  readonly word: number | undefined;
  readonly epoch: number;
  readonly rr: number;
  readonly instret: number;
  /** The monitor's buffered deferred traps and interrupts (delivered at the epoch's end). */
  readonly buffered: { readonly v1: number; readonly v2: number; readonly interrupts: readonly string[] };
  /** The trap unit's traps waiting for their delay, and the interrupts pending at the processor. */
  readonly pending: { readonly v1: number; readonly v2: number; readonly mip: number };
}

/** The 32-bit little-endian word at `addr`, or undefined outside RAM. */
export function wordAt(ram: Uint8Array, addr: number): number | undefined {
  const off = addr - RAM_BASE;
  if (off < 0 || off + 4 > ram.length) return undefined;
  return (ram[off]! | (ram[off + 1]! << 8) | (ram[off + 2]! << 16) | (ram[off + 3]! << 24)) >>> 0;
}

export function symbolAt(symbols: ProgramImage['symbols'], pc: number): string {
  let best: { name: string; addr: number } | undefined;
  for (const s of symbols) if (s.addr <= pc && (!best || s.addr > best.addr)) best = s;
  return best ? `${best.name}+0x${(pc - best.addr).toString(16)}` : '';
}

export function replicaSummary(m: Monitor, symbols: ProgramImage['symbols']): ReplicaSummary {
  const st = m.computer.cpu.state;
  const s = m.state;
  const pc = st.pc >>> 0;
  const status = m.stopped
    ? 'failed'
    : s.halted
      ? `halted (${s.halted.code})`
      : s.fault
        ? 'guest fault'
        : s.divergence
          ? 'diverged'
          : 'running';
  return {
    role: s.role,
    status,
    pc,
    where: symbolAt(symbols, pc),
    word: wordAt(st.ram, pc),
    epoch: s.epoch,
    rr: st.rr,
    instret: st.instret,
    buffered: {
      v1: s.v1 >>> 0,
      v2: s.v2 >>> 0,
      interrupts: s.interrupts.map((i) => (i.class === 'timer' ? 'timer' : `io op #${i.opId} dev=${i.device} status=${i.status}`)),
    },
    pending: { v1: st.trap.v1 >>> 0, v2: st.trap.v2 >>> 0, mip: st.csr.mip >>> 0 },
  };
}
