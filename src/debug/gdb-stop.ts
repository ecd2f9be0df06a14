/**
 * Stop replies (`T` packets). Each carries the stopped thread and, expedited, x0-x31 and pc of its
 * processor: gdb then needs no `g` after a stop, one round trip fewer in each of its software single steps.
 */
import type { Cpu } from '../cpu/cpu.js';
import { le32 } from './gdb-packets.js';
import { PC_REGNO } from './gdb-registers.js';

export const SIGINT = 2;
export const SIGTRAP = 5;
export const SIGSEGV = 11;

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** `T` for signal `sig` in `thread`, with x0-x31 and pc of `cpu`, then `why` (e.g. `swbreak:;`). */
export function stopReply(sig: number, thread: number, cpu: Cpu, why = ''): string {
  const s = cpu.state;
  let out = `T${hex2(sig)}thread:${hex2(thread)};`;
  for (let n = 0; n < 32; n++) out += `${hex2(n)}:${le32(s.regs[n]! >>> 0)};`;
  return `${out}${hex2(PC_REGNO)}:${le32(s.pc >>> 0)};${why}`;
}
