/**
 * Per-processor compiled copies of the interpreter's loop. V8 embeds constants into optimised code only
 * when it knows them: a function created once per processor, whose typed arrays and tables are bindings
 * of its own closure, gets them folded in (no map checks, length or base loads per instruction), which
 * makes the loop about 1.5x faster than the shared one. Each copy is compiled and warmed up on its own,
 * so a processor switches to one only after it has run enough instructions to repay that (Cpu.run).
 *
 * The copy is the loop's own text (interp.ts `runSlice`), so there is one definition of every instruction;
 * the loop refers to nothing but its parameters and LOOP_GLOBALS, which are bound here by name, and the
 * one statement that takes the arrays from the state and views is dropped (the copy binds them).
 */
import { LOOP_GLOBALS, runSlice, type RamViews } from './interp.js';
import type { CpuState, Stop } from './types.js';

/** A loop bound to one processor's register file, RAM and dirty map. */
export interface SpecialisedLoop {
  readonly regs: Int32Array;
  readonly ram: Uint8Array;
  readonly dirty: Uint8Array;
  readonly run: (s: CpuState, v: RamViews, budget: number) => Stop;
}

const ARRAY_NAMES = ['regs', 'm32', 'u8', 'i8', 'u16', 'i16', 'dirty'];
const ARRAYS_STATEMENT = /const regs = s\.regs,\s*m32 = v\.m32,\s*u8 = v\.u8,\s*i8 = v\.i8,\s*u16 = v\.u16,\s*i16 = v\.i16,\s*dirty = s\.dirty;/g;

let body: string | undefined;

/** The loop's body without the statement that takes the arrays; checked once. */
function loopBody(): string {
  if (body !== undefined) return body;
  const text = runSlice.toString();
  const inner = text.slice(text.indexOf('{') + 1, text.lastIndexOf('}'));
  const found = inner.match(ARRAYS_STATEMENT)?.length ?? 0;
  if (found !== 1) throw new Error(`specialise: expected the arrays statement once in the loop's text, found it ${found} times`);
  body = inner.replace(ARRAYS_STATEMENT, '');
  return body;
}

export function specialise(s: CpuState, v: RamViews): SpecialisedLoop {
  const globals = LOOP_GLOBALS();
  const make = new Function(
    ...Object.keys(globals),
    ...ARRAY_NAMES,
    `'use strict';\nreturn function loopForOneCpu(s, v, budget) {${loopBody()}\n};`,
  ) as (...args: unknown[]) => (s: CpuState, v: RamViews, budget: number) => Stop;
  const run = make(...Object.values(globals), s.regs, v.m32, v.u8, v.i8, v.u16, v.i16, s.dirty);
  return { regs: s.regs, ram: s.ram, dirty: s.dirty, run };
}
