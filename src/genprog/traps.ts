/** The generated program's trap handler and its drop to U mode. */
import { MIP, MSTATUS } from '../../isa/csrs.js';
import type { CodeBuilder } from './asm.js';
import { FAIL_CODE, REG } from './layout.js';

/** Exceptions the handler resumes after (mepc += 4): breakpoint, misaligned load/store, ecall from M. */
export const SKIPPED_CAUSES: readonly number[] = Object.freeze([3, 4, 6, 11]);

/** The interrupts the handler takes: mcause's code, the mip bit it clears, and where it goes when mcause is not this one. */
const INTERRUPTS = [
  { code: 11, what: 'machine external interrupt', bit: MIP.MEIP, bitName: 'MEIP', otherwise: 'trap_not_external' },
  { code: 7, what: 'machine timer interrupt', bit: MIP.MTIP, bitName: undefined, otherwise: 'trap_fatal' },
] as const;

/**
 * mcause 24: fold xtv1/xtv2 into s11 and clear them; SKIPPED_CAUSES: resume after the instruction; ecall
 * from U (8): resume after it in M (the end of a user segment, see `emitEnterUser`);
 * external/timer interrupts: clear mip's bit; anything else: halt with 0xbad00000 | mcause.
 */
export function emitTrapHandler(c: CodeBuilder): void {
  const { t5, t6, s11 } = REG;
  c.label('trap_handler');
  c.csrr(t6, 'mcause');
  c.li12(t5, 24);
  c.branch('bne', t6, t5, 'trap_not_deferred');
  c.csrrw(t6, 'xtv1', 0);
  c.rrr('or', s11, s11, t6);
  c.csrrw(t6, 'xtv2', 0);
  c.rri('slli', t6, t6, 30);
  c.rrr('or', s11, s11, t6);
  c.plain('mret');
  c.label('trap_not_deferred');
  c.branch('blt', t6, 0, 'trap_interrupt');
  c.li12(t5, 8);
  c.branch('beq', t6, t5, 'trap_from_user');
  for (const cause of SKIPPED_CAUSES) {
    c.li12(t5, cause);
    c.branch('beq', t6, t5, 'trap_skip');
  }
  c.jal(0, 'trap_fatal');
  const skipInstruction = (): void => {
    c.csrr(t6, 'mepc');
    c.rri('addi', t6, t6, 4);
    c.csrw('mepc', t6);
  };
  c.label('trap_skip');
  skipInstruction();
  c.plain('mret', 'resume after the instruction that trapped');
  c.label('trap_from_user');
  c.comment('ecall from U: the user segment is over, resume after it in M');
  skipInstruction();
  c.csrMask(true, 'mstatus', t5, MSTATUS.MPP_MASK, 'MPP');
  c.plain('mret');
  c.label('trap_interrupt');
  for (const irq of INTERRUPTS) {
    c.lui(t5, 0x80000);
    c.rri('addi', t5, t5, irq.code, irq.what);
    c.branch('bne', t6, t5, irq.otherwise);
    c.csrMask(false, 'mip', t5, irq.bit, irq.bitName);
    c.plain('mret');
    c.label(irq.otherwise);
  }
  c.csrr(t6, 'mcause');
  c.haltWith(t5, FAIL_CODE.unexpectedTrap, t6, 'unexpected trap: 0xbad00000 | mcause');
}

/** Drops to U at the next instruction (mret with MPP = U, MPIE = 1); the segment ends with `ecall`. */
export function emitEnterUser(c: CodeBuilder, label: string): void {
  const { a0 } = REG;
  c.csrBitsImm(false, 'mstatus', 8, 'MIE off: no trap may overwrite mepc now');
  c.la(a0, label);
  c.csrw('mepc', a0);
  c.csrMask(false, 'mstatus', a0, MSTATUS.MPP_MASK, 'MPP');
  c.csrMask(true, 'mstatus', a0, MSTATUS.MPIE, 'MPIE');
  c.plain('mret', 'to U');
  c.label(label);
}
