/**
 * Building a processor's plain state (src/cpu/types.ts) at reset, and checking one handed in from outside
 * (a snapshot, a state transfer) before a Cpu adopts it.
 */
import { RAM_BASE } from '../../isa/csrs.js';
import { ShadowError } from '../base/errors.js';
import { seedState } from '../base/random.js';
import type { CpuState, CsrFile } from './types.js';
import { takeRam } from '../base/ram-pool.js';

export const PAGE_BYTES = 4096;
/** Largest RAM the machine can map: from RAM_BASE to the top of the 32-bit address space. */
export const MAX_RAM_BYTES = 2 ** 32 - RAM_BASE;

export interface CpuOptions {
  /** RAM size in bytes: a positive multiple of 4096, at most 2 GiB. */
  readonly ramBytes: number;
  /** D: each new pending deferred trap is delivered after 0..D further instructions. */
  readonly trapDelayMax: number;
  /** Seed (or 4-word xorshift128 state, copied) of the trap unit's delay stream. */
  readonly trapSeed: Uint32Array | number;
}

export function resetCsrs(): CsrFile {
  return {
    mstatus: 0,
    mtvec: 0,
    mepc: 0,
    mcause: 0,
    mtval: 0,
    mscratch: 0,
    mie: 0,
    mip: 0,
    xtv1: 0,
    xtv2: 0,
    xioq: 0,
    xioqn: 0,
    xtimer: 0,
  };
}

export function createCpuState(opts: CpuOptions): CpuState {
  const { ramBytes, trapDelayMax } = opts;
  if (!Number.isSafeInteger(ramBytes) || ramBytes <= 0 || ramBytes % PAGE_BYTES !== 0 || ramBytes > MAX_RAM_BYTES) {
    throw new ShadowError('CONFIG', `RAM size must be a positive multiple of 4096 bytes up to 2 GiB, got ${ramBytes}`);
  }
  if (!Number.isSafeInteger(trapDelayMax) || trapDelayMax < 0 || trapDelayMax > 0x7fffffff) {
    throw new ShadowError('CONFIG', `trap delay maximum must be an integer from 0 to 2^31-1, got ${trapDelayMax}`);
  }
  const rng = typeof opts.trapSeed === 'number' ? seedState(opts.trapSeed) : Uint32Array.from(opts.trapSeed);
  if (rng.length !== 4) throw new ShadowError('CONFIG', `trap seed state must have 4 words, got ${rng.length}`);
  const regs = new Int32Array(32);
  regs[2] = (RAM_BASE + ramBytes) | 0;
  return {
    regs,
    pc: RAM_BASE,
    mode: 3,
    csr: resetCsrs(),
    ram: takeRam(ramBytes),
    dirty: new Uint8Array(ramBytes / PAGE_BYTES),
    instret: 0,
    rr: 0,
    trap: { v1: 0, v2: 0, countdown: -1, maxDelay: trapDelayMax, rng },
    drainPriv: 0,
  };
}

/** Throws (a host error: the state came from outside) unless `s` has the shape a Cpu relies on. */
export function checkCpuState(s: CpuState): void {
  const bad = (what: string): never => {
    throw new ShadowError('CONFIG', `processor state: ${what}`);
  };
  if (!(s.regs instanceof Int32Array) || s.regs.length !== 32) bad('regs must be an Int32Array of 32');
  if (!(s.ram instanceof Uint8Array) || s.ram.length === 0 || s.ram.length % PAGE_BYTES !== 0)
    bad('ram must be a Uint8Array, a multiple of 4096 bytes');
  if (s.ram.byteOffset % 4 !== 0) bad('ram must start on a 4-byte boundary of its buffer');
  if (!(s.dirty instanceof Uint8Array) || s.dirty.length !== s.ram.length / PAGE_BYTES) bad('dirty must have one byte per 4 KiB page');
  if (!(s.trap.rng instanceof Uint32Array) || s.trap.rng.length !== 4) bad('trap.rng must be a Uint32Array of 4');
  if (s.mode !== 0 && s.mode !== 3) bad(`mode must be 0 or 3, got ${String(s.mode)}`);
  if (!Number.isSafeInteger(s.rr) || s.rr < 0) bad(`rr must be a non-negative integer, got ${s.rr}`);
}
