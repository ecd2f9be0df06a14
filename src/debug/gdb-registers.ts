/**
 * The registers gdb sees, by remote register number: x0..x31 (0-31), pc (32), then every CSR of the
 * machine's table (isa/csrs.ts) in its order from 33, then the recovery register. target.xml
 * (gdb-features.ts) declares the same numbering. Nondeterministic CSRs (the clock, entropy) read as
 * unavailable: reading them would draw from the computer's sources and change the run.
 */
import { CSRS } from '../../isa/csrs.js';
import { csrAllowed, readCsr, writeCsr, type NondetSource } from '../cpu/csr.js';
import type { Cpu } from '../cpu/cpu.js';
import type { MachineEdit } from './gdb-machine.js';

export const PC_REGNO = 32;
export const FIRST_CSR_REGNO = 33;
export const RR_REGNO = FIRST_CSR_REGNO + CSRS.length;
export const REG_COUNT = RR_REGNO + 1;

const noNondet: NondetSource = () => {
  throw new Error('gdb stub: a nondeterministic CSR was read');
};

/** Register `n`'s value; 'unavailable' for a nondeterministic CSR; undefined when there is no such register. */
export function readRegister(cpu: Cpu, n: number): number | 'unavailable' | undefined {
  const s = cpu.state;
  if (n >= 0 && n < 32) return s.regs[n]! >>> 0;
  if (n === PC_REGNO) return s.pc >>> 0;
  if (n === RR_REGNO) return s.rr >>> 0;
  const csr = CSRS[n - FIRST_CSR_REGNO];
  if (!csr) return undefined;
  if (csr.nondeterministic) return 'unavailable';
  return readCsr(s, csr.number, noNondet) >>> 0;
}

/** Writes register `n`; false when it does not exist or cannot be written (x0, read-only CSRs). */
export function writeRegister(cpu: Cpu, n: number, value: number): boolean {
  const s = cpu.state;
  if (n > 0 && n < 32) {
    s.regs[n] = value | 0;
    return true;
  }
  if (n === 0) return value === 0;
  if (n === PC_REGNO) {
    s.pc = value >>> 0;
    return true;
  }
  if (n === RR_REGNO) {
    s.rr = value >>> 0;
    return true;
  }
  const csr = CSRS[n - FIRST_CSR_REGNO];
  if (!csr || csr.nondeterministic || !csrAllowed(csr.number, 3, true)) return false;
  writeCsr(s, csr.number, value >>> 0);
  return true;
}

/** Applies a memory or register edit to `cpu`; an error message when it cannot. */
export function applyCpuEdit(cpu: Cpu, e: Extract<MachineEdit, { kind: 'memory' | 'register' }>): string | undefined {
  if (e.kind === 'memory') return cpu.writeBytes(e.addr, e.bytes) ? undefined : 'outside RAM';
  return writeRegister(cpu, e.regno, e.value) ? undefined : `register ${e.regno} cannot be written`;
}
