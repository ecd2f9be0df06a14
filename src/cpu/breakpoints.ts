/**
 * A debugger's breakpoints and watchpoints, as `Cpu.armBreakpoints` sets them: the shared break set of the
 * interpreter variant that checks them (interp.ts `breakLoop`), filled for one processor.
 */
import { breakLoop, type BreakSet, type LoopFn } from './interp.js';
import { ramOffset } from './ram-access.js';

/** A debugger's watchpoint: 2 stops after a store into [addr, addr+len), 3 after a load, 4 after either. */
export interface WatchRange {
  readonly kind: 2 | 3 | 4;
  readonly addr: number;
  readonly len: number;
}

/**
 * Fills the break set for a RAM of `ramBytes`: a breakpoint at each of `addrs` that is an aligned word of
 * RAM (others are ignored), passed over at instret `past`, and `watches`. Returns the set and the loop
 * that checks it.
 */
export function armBreakSet(
  ramBytes: number,
  addrs: Iterable<number>,
  past: number,
  watches: readonly WatchRange[],
): { readonly breaks: BreakSet; readonly run: LoopFn } {
  const b = breakLoop(ramBytes);
  const { words, marked } = b.breaks;
  for (const i of marked) words[i] = 0;
  marked.length = 0;
  for (const a of addrs) {
    const off = ramOffset(ramBytes, a, 4);
    if (off >= 0 && (off & 3) === 0) marked.push(off >> 2);
  }
  for (const i of marked) words[i] = 1;
  b.breaks.past = past;
  b.breaks.watch = watches.flatMap((w) => [w.kind, w.addr >>> 0, w.len]);
  b.breaks.wn = watches.length;
  b.breaks.hitKind = 0;
  return b;
}
