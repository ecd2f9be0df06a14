/**
 * The fixed parts of a generated guest program: the data area's layout, the start-up code, the trap
 * handler, the hand-rolled I/O runtime (spec section 6) and the ending. The random middle is genprog.ts.
 *
 * Register conventions (the random code uses only POOL, s1, s10 and a0..a3 between calls):
 *  - tp  = the data area's base (page aligned); s0 = its scratch area; sp = a stack for the runtime's ra;
 *  - s1  = loop counter; s10 = checksum of the computation (timing-independent);
 *  - s11 = deferred traps seen: V1 bits OR-ed, V2 bits OR-ed in at bits 30..31 (OR, never counts, so the
 *          value does not depend on when or in how many deliveries the traps arrive);
 *  - t5, t6 = the trap handler's only scratch registers (it touches nothing else but s11 and CSRs);
 *  - a0..a5, ra = the I/O runtime's registers (clobbered by its calls).
 * Failure exits are negative (bit 31 set); a normal end halts with a checksum shifted right by one (>= 0).
 */
import { MIP } from '../../isa/csrs.js';
import { encode } from '../asm/encode.js';
import { type CodeBuilder, r } from './asm.js';
import { hex } from '../base/format.js';

export const REG = {
  ra: 1,
  sp: 2,
  tp: 4,
  t0: 5,
  s0: 8,
  s1: 9,
  a0: 10,
  a1: 11,
  a2: 12,
  a3: 13,
  a4: 14,
  a5: 15,
  s10: 26,
  s11: 27,
  t5: 30,
  t6: 31,
} as const;

/** Registers the random computation owns: t0-t2, a6, a7, s2-s9, t3, t4. */
export const POOL: readonly number[] = Object.freeze([5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 28, 29]);

/** Byte offsets inside the data area (tp). */
export const DATA = {
  ring: 0x000,
  ringCapacity: 8,
  pending: 0x0c0,
  disconnects: 0x0c4,
  iorbs: 0x100,
  buffers: 0x200,
  bufferBytes: 16,
  log: 0x300,
  logWords: 64,
  scratch: 0x400,
  scratchBytes: 0x400,
  /** Initialised part (ring .. buffers); the log and scratch load as zero fill. */
  initBytes: 0x300,
  bytes: 0x800,
} as const;

/** Slot 0 is the CONNECT request; slots 1..MAX_WRITES are WRITEs. */
export const MAX_WRITES = 7;

/** Exit codes of the failure paths (all negative as int32). */
export const FAIL_CODE = {
  /** | mcause: a trap the handler does not expect. */
  unexpectedTrap: 0xbad00000,
  /** | (status & 0xff): `io` refused a request. */
  ioRefused: 0xe1000000,
  /** | status << 8 | tag: an ERROR (or unknown) completion record. */
  ioError: 0xee000000,
} as const;

export interface RuntimeOptions {
  readonly io: boolean;
  readonly traps: boolean;
  /** Timer period in µs, 0 = no timer. */
  readonly timerUs: number;
}

const MEIP_LUI = 0x1; // lui 1; addi -2048 = 0x800

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

/** Exceptions the handler resumes after (mepc += 4): breakpoint, misaligned load/store, ecall from M. */
export const SKIPPED_CAUSES: readonly number[] = Object.freeze([3, 4, 6, 11]);

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
  c.label('trap_skip');
  c.csrr(t6, 'mepc');
  c.rri('addi', t6, t6, 4);
  c.csrw('mepc', t6);
  c.plain('mret', 'resume after the instruction that trapped');
  c.label('trap_from_user');
  c.comment('ecall from U: the user segment is over, resume after it in M');
  c.csrr(t6, 'mepc');
  c.rri('addi', t6, t6, 4);
  c.csrw('mepc', t6);
  c.lui(t5, 0x2);
  c.rri('addi', t5, t5, -2048, 'MPP');
  c.csrBits(true, 'mstatus', t5);
  c.plain('mret');
  c.label('trap_interrupt');
  c.lui(t5, 0x80000);
  c.rri('addi', t5, t5, 11, 'machine external interrupt');
  c.branch('bne', t6, t5, 'trap_not_external');
  c.lui(t5, MEIP_LUI);
  c.rri('addi', t5, t5, -2048, 'MEIP');
  c.csrBits(false, 'mip', t5);
  c.plain('mret');
  c.label('trap_not_external');
  c.lui(t5, 0x80000);
  c.rri('addi', t5, t5, 7, 'machine timer interrupt');
  c.branch('bne', t6, t5, 'trap_fatal');
  c.li12(t5, MIP.MTIP);
  c.csrBits(false, 'mip', t5);
  c.plain('mret');
  c.label('trap_fatal');
  c.csrr(t6, 'mcause');
  c.lui(t5, FAIL_CODE.unexpectedTrap >>> 12);
  c.rrr('or', t5, t5, t6);
  c.halt(t5, 'unexpected trap: 0xbad00000 | mcause');
}

/** Drops to U at the next instruction (mret with MPP = U, MPIE = 1); the segment ends with `ecall`. */
export function emitEnterUser(c: CodeBuilder, label: string): void {
  const { a0 } = REG;
  c.csrBitsImm(false, 'mstatus', 8, 'MIE off: no trap may overwrite mepc now');
  c.la(a0, label);
  c.csrw('mepc', a0);
  c.lui(a0, 0x2);
  c.rri('addi', a0, a0, -2048, 'MPP');
  c.csrBits(false, 'mstatus', a0);
  c.li12(a0, 128, 'MPIE');
  c.csrBits(true, 'mstatus', a0);
  c.plain('mret', 'to U');
  c.label(label);
}

/**
 * The I/O runtime. io_issue(a0 = slot): submit its IORB, mark it pending (also when refused as not
 * connected: after a failover the console is closed from the boundary that delivers the DISCONNECTED
 * record, before the guest has read it; the record's handling reissues the slot). io_poll: consume every ring
 * record; COMPLETED clears the slot's pending bit, DISCONNECTED (console) connects again and reissues
 * every pending WRITE (Rule 3), ERROR halts. io_wait: poll until nothing is pending, sleeping in wfi
 * with MIE off (MEIE on) so that no completion slips between the check and the sleep. io_write(a0 =
 * slot): wait for the previous write (console writes must not leave a gap), fill the slot's buffer
 * with letters from s10's nibbles, issue it.
 */
export function emitIoRuntime(c: CodeBuilder): void {
  const { ra, sp, tp, s10, a0, a1, a2, a3, a4, a5 } = REG;
  const push = (): void => {
    c.rri('addi', sp, sp, -16);
    c.store('sw', ra, 12, sp);
  };
  const pop = (): void => {
    c.load('lw', ra, 12, sp);
    c.rri('addi', sp, sp, 16);
    c.ret();
  };

  c.label('io_issue');
  c.rri('slli', a1, a0, 5);
  c.rrr('add', a1, a1, tp);
  c.rri('addi', a1, a1, DATA.iorbs, 'a1 = iorb of slot a0');
  c.io(a2, a1);
  c.branch('beq', a2, 0, 'issue_pending');
  c.li12(a3, -3);
  c.branch('bne', a2, a3, 'io_refused');
  c.comment('not connected: a DISCONNECTED record is on its way; io_poll reissues the slot after connecting again');
  c.label('issue_pending');
  c.load('lw', a2, DATA.pending, tp, 'pending slots');
  c.li12(a3, 1);
  c.rrr('sll', a3, a3, a0);
  c.rrr('or', a2, a2, a3);
  c.store('sw', a2, DATA.pending, tp);
  c.ret();
  c.label('io_refused');
  c.rri('andi', a2, a2, 255);
  c.lui(a3, FAIL_CODE.ioRefused >>> 12);
  c.rrr('or', a3, a3, a2);
  c.halt(a3, 'io refused: 0xe1000000 | status');

  c.label('io_poll');
  push();
  c.label('poll_next');
  c.load('lw', a1, DATA.ring, tp, 'head');
  c.load('lw', a2, DATA.ring + 4, tp, 'tail');
  c.branch('beq', a1, a2, 'poll_done');
  c.rri('andi', a3, a1, DATA.ringCapacity - 1);
  c.rri('slli', a3, a3, 4);
  c.rrr('add', a3, a3, tp);
  c.rri('addi', a1, a1, 1);
  c.store('sw', a1, DATA.ring, tp, 'consume the record');
  c.load('lw', a4, DATA.ring + 8, a3, 'tag');
  c.load('lw', a5, DATA.ring + 12, a3, 'status');
  c.load('lw', a0, DATA.ring + 20, a3, 'device');
  c.branch('bne', a5, 0, 'poll_not_completed');
  c.load('lw', a2, DATA.pending, tp);
  c.li12(a3, 1);
  c.rrr('sll', a3, a3, a4);
  c.op('xori', { rd: a3, rs1: a3, imm: -1 }, `not ${r(a3)}, ${r(a3)}`);
  c.rrr('and', a2, a2, a3);
  c.store('sw', a2, DATA.pending, tp, 'slot completed');
  c.jal(0, 'poll_next');
  c.label('poll_not_completed');
  c.li12(a3, 1);
  c.branch('bne', a5, a3, 'io_error');
  c.branch('bne', a0, 0, 'poll_next');
  c.comment('DISCONNECTED: connect again, reissue every slot without a COMPLETED record');
  c.load('lw', a2, DATA.disconnects, tp);
  c.rri('addi', a2, a2, 1);
  c.store('sw', a2, DATA.disconnects, tp);
  c.load('lw', a5, DATA.pending, tp);
  c.store('sw', 0, DATA.pending, tp);
  c.li12(a0, 0);
  c.jal(ra, 'io_issue');
  c.li12(a0, 1);
  c.label('reissue_next');
  c.rrr('srl', a4, a5, a0);
  c.rri('andi', a4, a4, 1);
  c.branch('beq', a4, 0, 'reissue_skip');
  c.jal(ra, 'io_issue');
  c.label('reissue_skip');
  c.rri('addi', a0, a0, 1);
  c.li12(a4, MAX_WRITES + 1);
  c.branch('blt', a0, a4, 'reissue_next');
  c.jal(0, 'poll_next');
  c.label('io_error');
  c.rri('andi', a4, a4, 255);
  c.rri('slli', a5, a5, 8);
  c.rrr('or', a4, a4, a5);
  c.lui(a3, FAIL_CODE.ioError >>> 12);
  c.rrr('or', a3, a3, a4);
  c.halt(a3, 'error record: 0xee000000 | status << 8 | tag');
  c.label('poll_done');
  pop();

  c.label('io_wait');
  push();
  c.label('wait_poll');
  c.jal(ra, 'io_poll');
  c.load('lw', a1, DATA.pending, tp);
  c.branch('beq', a1, 0, 'wait_done');
  c.csrBitsImm(false, 'mstatus', 8, 'MIE off: nothing slips between the check and wfi');
  c.lui(a1, MEIP_LUI);
  c.rri('addi', a1, a1, -2048, 'MEIP');
  c.csrBits(false, 'mip', a1);
  c.load('lw', a1, DATA.ring, tp);
  c.load('lw', a2, DATA.ring + 4, tp);
  c.branch('bne', a1, a2, 'wait_again');
  c.plain('wfi');
  c.label('wait_again');
  c.csrBitsImm(true, 'mstatus', 8);
  c.jal(0, 'wait_poll');
  c.label('wait_done');
  pop();

  c.label('io_write');
  push();
  c.store('sw', a0, 8, sp);
  c.jal(ra, 'io_wait');
  c.load('lw', a0, 8, sp);
  c.rri('slli', a1, a0, 4);
  c.rrr('add', a1, a1, tp);
  c.rri('addi', a1, a1, DATA.buffers, 'a1 = buffer of slot a0');
  c.rri('slli', a2, a0, 5);
  c.rrr('add', a2, a2, tp);
  c.load('lw', a2, DATA.iorbs + 16, a2, 'a2 = its len');
  c.op('addi', { rd: a3, rs1: s10, imm: 0 }, `mv ${r(a3)}, ${r(s10)}`);
  c.label('write_fill');
  c.rri('andi', a4, a3, 15);
  c.rri('addi', a4, a4, 97, "'a' + nibble");
  c.store('sb', a4, 0, a1);
  c.rri('srli', a3, a3, 4);
  c.rri('addi', a1, a1, 1);
  c.rri('addi', a2, a2, -1);
  c.branch('bne', a2, 0, 'write_fill');
  c.jal(ra, 'io_issue');
  pop();
}
