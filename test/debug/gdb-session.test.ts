import { describe, expect, it } from 'vitest';
import { targetXml } from '../../src/debug/gdb-features.js';
import { FIRST_CSR_REGNO, PC_REGNO, RR_REGNO } from '../../src/debug/gdb-registers.js';
import { fromLe32, le32 } from '../../src/debug/gdb-packets.js';
import { CSRS } from '../../isa/csrs.js';
import { addrOf, ask, bareSession, image, brief } from './sessions.js';

const hexReg = (n: number): string => n.toString(16);
const regnoOf = (csr: string): number => FIRST_CSR_REGNO + CSRS.findIndex((c) => c.name === csr);

describe('the gdb session (bare computer)', () => {
  it('announces its features and serves target.xml in pieces', async () => {
    const { session } = bareSession();
    expect(await ask(session, 'qSupported:multiprocess+;swbreak+;xmlRegisters=i386')).toBe(
      'PacketSize=4000;QStartNoAckMode+;qXfer:features:read+;qXfer:threads:read+;swbreak+;hwbreak+;ReverseStep+;ReverseContinue+',
    );
    let xml = '';
    for (let off = 0; ; off += 0x100) {
      const r = await ask(session, `qXfer:features:read:target.xml:${off.toString(16)},100`);
      xml += r.slice(1);
      if (r[0] === 'l') break;
      expect(r[0]).toBe('m');
    }
    expect(xml).toBe(targetXml());
    expect(xml).toContain('<architecture>riscv:rv32</architecture>');
    expect(xml).toContain(`<reg name="xtv1" bitsize="32" type="int" regnum="${regnoOf('xtv1')}" group="csr"/>`);
    expect(xml).toContain(`<reg name="rr" bitsize="32" type="uint32" regnum="${RR_REGNO}" group="xshadow"/>`);
    expect(await ask(session, 'qXfer:features:read:other.xml:0,100')).toBe('E00');
    expect(await ask(session, 'qAttached')).toBe('1');
    expect(await ask(session, 'qC')).toBe('QC01');
    expect(await ask(session, 'vCont?')).toBe('vCont;c;C;s;S');
    expect(brief(await ask(session, '?'))).toBe(`T05thread:01;20:${le32(0x80000000)};`);
  });

  it('reads and writes registers and memory, and answers bad requests with an error', async () => {
    const img = image();
    const { session } = bareSession(img);
    const g = await ask(session, 'g');
    expect(g).toHaveLength(33 * 8);
    expect(fromLe32(g.slice(32 * 8))).toBe(0x80000000);
    expect(await ask(session, `p${hexReg(PC_REGNO)}`)).toBe(le32(0x80000000));
    expect(await ask(session, `p${hexReg(regnoOf('cycle'))}`)).toBe('xxxxxxxx');
    expect(await ask(session, `p${hexReg(regnoOf('misa'))}`)).not.toBe('E01');
    expect(await ask(session, 'p3e7')).toBe('E01');
    expect(await ask(session, `P5=${le32(0x1234)}`)).toBe('OK');
    expect(fromLe32((await ask(session, 'g')).slice(5 * 8, 6 * 8))).toBe(0x1234);
    expect(await ask(session, `P0=${le32(1)}`)).toBe('E01');
    expect(await ask(session, `P${hexReg(regnoOf('cycle'))}=${le32(1)}`)).toBe('E01');
    // The first instruction, `li t0, 0` = addi t0, zero, 0 = 0x00000293.
    expect(await ask(session, 'm80000000,4')).toBe('93020000');
    expect(await ask(session, 'M80080000,3:abcdef')).toBe('OK');
    expect(await ask(session, 'X80080003,2:xy')).toBe('OK');
    expect(await ask(session, 'm80080000,5')).toBe('abcdef7879');
    expect(await ask(session, 'm0,4')).toBe('E14');
    expect(await ask(session, 'M0,1:00')).toBe('E14');
    expect(await ask(session, 'mzz')).toBe('E01');
    expect(await ask(session, 'M80080000,2:abc')).toBe('E01');
    expect(await ask(session, 'Z0,zz')).toBe('E01');
    expect(await ask(session, 'Z2,80080000,4')).toBe('OK');
    expect(await ask(session, 'Z2,80080000,0')).toBe('E01');
    expect(await ask(session, 'vCont;x')).toBe('E01');
    expect(await ask(session, 'qRcmd,zz')).toBe('E01');
    expect(await ask(session, 'frobnicate')).toBe('');
    expect(await ask(session, 'bx')).toBe('');
  });

  it('stops at breakpoints, steps, and reports the halt with the exit code', async () => {
    const img = image();
    const { session } = bareSession(img);
    const loop = addrOf(img, 'loop');
    expect(await ask(session, `Z0,${loop.toString(16)},4`)).toBe('OK');
    expect(brief(await ask(session, 'vCont;c'))).toBe(`T05thread:01;20:${le32(loop)};swbreak:;`);
    expect(brief(await ask(session, 'vCont;s:1'))).toBe(`T05thread:01;20:${le32(loop + 4)};`);
    expect(await ask(session, `z0,${loop.toString(16)},4`)).toBe('OK');
    const r = await session.handle('c');
    expect(r).toEqual([`O${Buffer.from('shadowvm: the guest halted with exit code 7\n').toString('hex')}`, 'W07']);
    expect(await ask(session, 's')).toBe('W07');
  });

  it('reverse-steps to exactly the state it had, and stops at the start of the history', async () => {
    const { session } = bareSession(image(), 8);
    expect(brief(await ask(session, 'bs'))).toBe(`T05thread:01;20:${le32(0x80000000)};replaylog:begin;`);
    const states: string[] = [];
    for (let i = 0; i < 40; i++) {
      states.push((await ask(session, 'g')) + (await ask(session, `p${hexReg(regnoOf('instret'))}`)));
      await ask(session, 's');
    }
    for (let i = 39; i >= 0; i--) {
      await ask(session, 'bs');
      expect((await ask(session, 'g')) + (await ask(session, `p${hexReg(regnoOf('instret'))}`))).toBe(states[i]);
    }
  });

  it('reverse-continues to the last breakpoint hit before the current point, then to the start', async () => {
    const img = image();
    const { session } = bareSession(img, 16);
    const loop = addrOf(img, 'loop');
    const instret = async () => fromLe32(await ask(session, `p${hexReg(regnoOf('instret'))}`));
    await ask(session, `Z0,${loop.toString(16)},4`);
    await ask(session, 'c');
    await ask(session, 'c');
    await ask(session, 'c');
    const third = await instret();
    expect((await ask(session, 'g')).slice(5 * 8, 6 * 8)).toBe(le32(2)); // t0: two turns done
    await ask(session, 's');
    await ask(session, 's');
    expect(brief(await ask(session, 'bc'))).toBe(`T05thread:01;20:${le32(loop)};swbreak:;`);
    expect(await instret()).toBe(third);
    await ask(session, 'bc');
    expect(await instret()).toBe(third! - 3);
    await ask(session, 'bc');
    expect(brief(await ask(session, 'bc'))).toBe(`T05thread:01;20:${le32(0x80000000)};replaylog:begin;`);
    expect(await instret()).toBe(0);
  });

  it('replays a register write at its point when the history is re-run, and a write in the past starts a new future', async () => {
    const { session } = bareSession(image(), 4);
    for (let i = 0; i < 10; i++) await ask(session, 's');
    await ask(session, `P${hexReg(20)}=${le32(0xcafe)}`); // s4 at position 10
    for (let i = 0; i < 10; i++) await ask(session, 's');
    for (let i = 0; i < 15; i++) await ask(session, 'bs'); // back to position 5: before the write
    expect((await ask(session, 'g')).slice(20 * 8, 21 * 8)).toBe(le32(0));
    for (let i = 0; i < 5; i++) await ask(session, 's');
    expect((await ask(session, 'g')).slice(20 * 8, 21 * 8)).toBe(le32(0xcafe));
    for (let i = 0; i < 8; i++) await ask(session, 'bs'); // position 2
    await ask(session, `P${hexReg(21)}=${le32(1)}`);
    for (let i = 0; i < 12; i++) await ask(session, 's');
    expect((await ask(session, 'g')).slice(20 * 8, 21 * 8)).toBe(le32(0)); // the later write is gone
  });

  it('answers monitor commands of a pair with a message in bare mode', async () => {
    const { session } = bareSession();
    const { monitor } = await import('./sessions.js');
    expect(await monitor(session, 'epoch')).toBe('monitor epoch: only for a pair (shadowvm pair PROGRAM --gdb PORT)\n');
    expect(await monitor(session, 'frob')).toBe("unknown monitor command 'frob' (monitor help lists them)\n");
    expect(await monitor(session, 'history')).toBe(
      'position 0 (instructions stepped since reset); 1 snapshot(s), one every 64 instructions\n',
    );
  });
});
