/**
 * Access to a processor's RAM from outside its run loop (through Cpu, cpu.ts): devices, the I/O controller
 * and debuggers name guest addresses, checked against RAM here; every write marks the pages it touches dirty
 * and drops the translated code over them.
 */
import { RAM_BASE } from '../../isa/csrs.js';
import { codeWritten, type RamViews } from './loop-env.js';
import type { CpuState } from './types.js';

/** The views over the state's RAM, rebuilt by the processor if its state was replaced. */
export type ViewsNow = () => RamViews;

/** RAM offset of [addr, addr+len) in a RAM of `ramBytes`, or -1 when any of it is outside RAM. */
export function ramOffset(ramBytes: number, addr: number, len: number): number {
  const off = (addr >>> 0) - RAM_BASE;
  return off >= 0 && len >= 0 && off + len <= ramBytes ? off : -1;
}

/** The aligned 32-bit word at addr (unsigned), or undefined when misaligned or outside RAM. */
export function readWord(s: CpuState, views: ViewsNow, addr: number): number | undefined {
  const off = ramOffset(s.ram.length, addr, 4);
  if (off < 0 || (off & 3) !== 0) return undefined;
  return views().m32[off >> 2]! >>> 0;
}

/** Writes an aligned 32-bit word (marks the page dirty); false when misaligned or outside RAM. */
export function writeWord(s: CpuState, views: ViewsNow, addr: number, value: number): boolean {
  const off = ramOffset(s.ram.length, addr, 4);
  if (off < 0 || (off & 3) !== 0) return false;
  const v = views();
  v.m32[off >> 2] = value;
  s.dirty[off >>> 12] = 1;
  codeWritten(v.code, off, off + 3);
  return true;
}

/** A copy of len bytes at addr, or undefined when any of them is outside RAM. */
export function readBytes(s: CpuState, addr: number, len: number): Uint8Array | undefined {
  const off = ramOffset(s.ram.length, addr, len);
  return off < 0 ? undefined : s.ram.slice(off, off + len);
}

/** Copies bytes into RAM at addr (marks every page touched dirty); false (and nothing written) when outside RAM. */
export function writeBytes(s: CpuState, views: ViewsNow, addr: number, bytes: Uint8Array): boolean {
  const off = ramOffset(s.ram.length, addr, bytes.length);
  if (off < 0) return false;
  s.ram.set(bytes, off);
  if (bytes.length === 0) return true;
  s.dirty.fill(1, off >>> 12, ((off + bytes.length - 1) >>> 12) + 1);
  codeWritten(views().code, off, off + bytes.length - 1);
  return true;
}
