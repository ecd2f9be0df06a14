/** The generated program's hand-rolled I/O runtime (spec section 6): io_issue, io_poll, io_wait and io_write. */
import { type CodeBuilder, r } from './asm.js';
import { MIP } from '../../isa/csrs.js';
import { DATA, FAIL_CODE, MAX_WRITES, REG } from './layout.js';

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
  c.haltWith(a3, FAIL_CODE.ioRefused, a2, 'io refused: 0xe1000000 | status');

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
  c.haltWith(a3, FAIL_CODE.ioError, a4, 'error record: 0xee000000 | status << 8 | tag');
  c.label('poll_done');
  pop();

  c.label('io_wait');
  push();
  c.label('wait_poll');
  c.jal(ra, 'io_poll');
  c.load('lw', a1, DATA.pending, tp);
  c.branch('beq', a1, 0, 'wait_done');
  c.csrBitsImm(false, 'mstatus', 8, 'MIE off: nothing slips between the check and wfi');
  c.csrMask(false, 'mip', a1, MIP.MEIP, 'MEIP');
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
