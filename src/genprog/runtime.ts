/**
 * The fixed parts of a generated guest program around the random middle (genprog.ts): the start-up code
 * and the ending. The layout and register conventions are in layout.ts, the trap handler in traps.ts and
 * the hand-rolled I/O runtime (spec section 6) in io-runtime.ts.
 * Failure exits are negative (bit 31 set); a normal end halts with a checksum shifted right by one (>= 0).
 */
import { MIP } from '../../isa/csrs.js';
import { encode } from '../asm/encode.js';
import type { CodeBuilder } from './asm.js';
import { hex } from '../base/format.js';
import { DATA, POOL, REG, type RuntimeOptions } from './layout.js';

/** Start-up: data base, trap vector, ring, interrupt enables, a logged boot time. Ends with MIE still 0. */
export function emitSetup(c: CodeBuilder, o: RuntimeOptions): void {
  const { tp, s0, t6, a0 } = REG;
  c.label('_start');
  c.insn((_pc, label) => {
    const hi = (label('data') >>> 12) & 0xfffff;
    return { word: encode('lui', { rd: tp, imm: hi }), text: `lui tp, ${hex(hi)}` };
  }, 'tp = data');
  c.rri('addi', s0, tp, DATA.scratch, 's0 = scratch');
  c.la(t6, 'trap_handler');
  c.csrw('mtvec', t6);
  if (o.io) {
    c.csrw('xioq', tp);
    c.li12(t6, DATA.ringCapacity);
    c.csrw('xioqn', t6);
  }
  const mie = (o.io ? MIP.MEIP : 0) | (o.timerUs > 0 ? MIP.MTIP : 0);
  if (mie !== 0) {
    c.li32(t6, mie);
    c.csrw('mie', t6);
  }
  if (o.timerUs > 0) {
    c.li12(t6, o.timerUs);
    c.csrw('xtimer', t6);
  }
  c.csrr(a0, 'time');
  c.store('sw', a0, DATA.log, tp, 'log the boot time (nondeterministic: never read back)');
}

/** After the random registers are set: interrupts on, console connected. */
export function emitStart(c: CodeBuilder, o: RuntimeOptions): void {
  c.csrBitsImm(true, 'mstatus', 8, 'MIE on');
  if (o.io) {
    c.comment('connect the console (connected at once; its COMPLETED record comes later)');
    c.li12(REG.a0, 0);
    c.jal(REG.ra, 'io_issue');
  }
}

/** The ending: wait for all I/O, take every deferred trap, fold the state into s10, halt. */
export function emitFinish(c: CodeBuilder, o: RuntimeOptions, storedWords: readonly number[]): void {
  const { s0, s10, s11, a0, a1 } = REG;
  c.label('finish');
  if (o.io) c.jal(REG.ra, 'io_wait');
  if (o.traps) c.plain('drain', 'every deferred trap reaches the handler now');
  for (const off of storedWords) {
    c.load('lw', a0, off, s0);
    c.rrr('xor', s10, s10, a0);
  }
  for (const reg of POOL) {
    c.rrr('xor', s10, s10, reg);
    c.rri('slli', a0, s10, 7);
    c.rri('srli', a1, s10, 25);
    c.rrr('or', s10, a0, a1);
  }
  c.rrr('xor', s10, s10, s11);
  c.rri('srli', s10, s10, 1, 'a normal exit code is >= 0');
  c.halt(s10);
}
