/** One-line reasons for a stopped run, shared by the commands that run guests. */
import { symbolAt, type ProgramImage } from '../../isa/image.js';
import { hex32 } from '../base/format.js';
import { CAUSE } from '../../isa/csrs.js';
import type { GuestFault } from '../cpu/types.js';
import { disassemble } from '../asm/disasm.js';
import type { Pair, PairResult } from '../ft/pair.js';
import { exitsSpent } from './exit-budget.js';

const CAUSE_NAMES: Record<number, string> = {
  [CAUSE.INSTRUCTION_MISALIGNED]: 'misaligned instruction address',
  [CAUSE.INSTRUCTION_ACCESS_FAULT]: 'instruction access fault',
  [CAUSE.ILLEGAL_INSTRUCTION]: 'illegal instruction',
  [CAUSE.BREAKPOINT]: 'breakpoint',
  [CAUSE.LOAD_MISALIGNED]: 'misaligned load',
  [CAUSE.LOAD_ACCESS_FAULT]: 'load access fault',
  [CAUSE.STORE_MISALIGNED]: 'misaligned store',
  [CAUSE.STORE_ACCESS_FAULT]: 'store access fault',
  [CAUSE.ECALL_U]: 'ecall from U-mode',
  [CAUSE.ECALL_M]: 'ecall from M-mode',
  [CAUSE.DEFERRED_TRAP]: 'deferred trap',
};

export function causeName(cause: number): string {
  return CAUSE_NAMES[cause] ?? `cause ${cause}`;
}

/** `guest fault at pc 0x80000010: illegal instruction (cause 2) with mtvec = 0: <instruction>` */
export function describeFault(f: GuestFault): string {
  const insn = f.word === undefined ? '<pc outside RAM>' : disassemble(f.word, f.pc);
  return `guest fault at pc 0x${(f.pc >>> 0).toString(16).padStart(8, '0')}: ${causeName(f.cause)} (cause ${f.cause}, tval 0x${(f.tval >>> 0).toString(16)}) with no trap handler: ${insn}`;
}

/**
 * The one line for a run that used up its instruction budget: where it was, by address and symbol. With
 * `exits`, the run used up its exit budget (exit-budget.ts) of that many traps and sensitive instructions.
 */
export function describeBudget(instructions: number, pc: number, image?: ProgramImage, exits?: number): string {
  const sym = image ? symbolAt(image, pc) : undefined;
  const what =
    exits === undefined
      ? `${instructions} instructions`
      : `${exits} traps and sensitive instructions (I/O, clock reads, wfi...) in ${instructions} instructions`;
  return `budget reached: ${what} at pc ${hex32(pc)}${sym ? ` (${sym})` : ''}; raise it with --max-instructions N`;
}

/** The one line for a run that the wall-clock `--timeout` ended. */
export function describeTimeout(seconds: number, instructions: number, pc: number, image?: ProgramImage): string {
  const sym = image ? symbolAt(image, pc) : undefined;
  return `timeout: ${seconds} s elapsed after ${instructions} instructions at pc ${hex32(pc)}${sym ? ` (${sym})` : ''}; raise it with --timeout SEC`;
}

/** `pair` is a pair or a replica group: the exit budget named is the serving computer's, or a pair's backup's. */
export function describeStop(
  r: PairResult,
  pair: Pick<Pair, 'serving'> & { readonly backup?: Pair['backup'] },
  image?: ProgramImage,
): string {
  switch (r.stop) {
    case 'halt':
      return `halted with exit code ${r.exitCode}`;
    case 'fault': {
      const f = pair.serving.state.fault;
      return f ? describeFault(f) : 'both computers failed';
    }
    case 'budget':
      return describeBudget(
        r.instructions,
        r.pc,
        image,
        [pair.serving, pair.backup].find((m) => m !== undefined && exitsSpent(m.exitBudget))?.exitBudget?.limit,
      );
    case 'diverged':
      return `replicas diverged in epoch ${r.divergence?.epoch}: ${r.divergence?.where}`;
  }
}

/** The fields of `--json` that a pair's run and a replica group's run share, in the order they are printed. */
export function runJson(r: PairResult, stop: string): Record<string, unknown> {
  return {
    exitCode: r.exitCode,
    instructions: r.instructions,
    pc: r.pc,
    regs: r.regs,
    console: r.console,
    stop,
    epochs: r.epochs,
    messages: r.messages,
    diverged: r.diverged,
    divergence: r.divergence,
  };
}
