import { describe, expect, it } from 'vitest';
import { fromLe32, le32 } from '../../src/debug/gdb-packets.js';
import { addrOf, ask, brief, image, monitor, pairSession } from './sessions.js';

const pcOf = (g: string): number => fromLe32(g.slice(32 * 8, 33 * 8))!;

describe('the replicas as gdb threads', () => {
  it('lists the primary and the backup, reads either with Hg, and follows the one gdb resumes', async () => {
    const { session, machine } = pairSession('primary');
    expect(await ask(session, 'qfThreadInfo')).toBe('m1,2');
    expect(await ask(session, 'qsThreadInfo')).toBe('l');
    expect(await ask(session, 'qC')).toBe('QC01');
    expect(await ask(session, 'qXfer:threads:read::0,1000')).toBe(
      'l<?xml version="1.0"?>\n<threads>\n' +
        '<thread id="1" name="primary">primary: role primary, running, epoch 1</thread>\n' +
        '<thread id="2" name="backup">backup: role backup, running, epoch 1</thread>\n</threads>\n',
    );
    expect(await ask(session, 'T2')).toBe('OK');
    expect(await ask(session, 'T3')).toBe('E01');
    expect(await ask(session, 'Hg3')).toBe('E01');
    for (let i = 0; i < 100; i++) await ask(session, 's');
    expect(pcOf(await ask(session, 'g'))).toBe(machine.pair.primary.computer.cpu.state.pc);
    expect(await ask(session, 'Hg2')).toBe('OK');
    expect(pcOf(await ask(session, 'g'))).toBe(machine.pair.backup.computer.cpu.state.pc);
    // A write through Hg2 goes to the backup, not to the followed primary.
    expect(await ask(session, `P15=${le32(0xbeef)}`)).toBe('OK');
    expect(machine.pair.backup.computer.cpu.state.regs[0x15]).toBe(0xbeef);
    expect(machine.pair.primary.computer.cpu.state.regs[0x15]).not.toBe(0xbeef);
    expect(await ask(session, 'Hg0')).toBe('OK');
    expect(pcOf(await ask(session, 'g'))).toBe(machine.pair.primary.computer.cpu.state.pc);
    // Resuming thread 2 by name: the debugger follows the backup from there, and says so in the stop reply.
    const backupInstret = machine.pair.backup.computer.cpu.state.instret;
    expect(brief(await ask(session, 'vCont;s:2'))).toMatch(/^T05thread:02;20:[0-9a-f]{8};$/);
    expect(machine.side).toBe('backup');
    expect(machine.pair.backup.computer.cpu.state.instret).toBe(backupInstret + 1);
    expect(await ask(session, 'qC')).toBe('QC02');
    // The switch happened at the position the step started from: one more step back, the primary is followed
    // again; forward again, arriving there replays the switch.
    await ask(session, 'bs');
    expect(machine.side).toBe('backup');
    await ask(session, 'bs');
    expect(machine.side).toBe('primary');
    await ask(session, 's');
    expect(machine.side).toBe('backup');
    // Hc1 then s: back to the primary.
    expect(await ask(session, 'Hc1')).toBe('OK');
    await ask(session, 's');
    expect(machine.side).toBe('primary');
  });

  it('resumes a failed replica alone to no effect: a stop in its thread, where it is, with a note (gdb requires that thread)', async () => {
    const { session, machine } = pairSession('primary');
    for (let i = 0; i < 10; i++) await ask(session, 's');
    await monitor(session, 'fail');
    await ask(session, 's');
    expect(machine.side).toBe('backup');
    const pc = machine.cpuOf(1)!.state.pc >>> 0;
    const r = await session.handle('vCont;c:1');
    const note =
      'shadowvm: thread 1 (primary) has failed and runs no more; the debugger follows thread 2 (backup). gdb steps a thread ' +
      `over a breakpoint at its pc before it resumes any other: delete the breakpoints at 0x${pc.toString(16).padStart(8, '0')} to go on\n`;
    expect(r).toHaveLength(2);
    expect(r[0]).toBe(`O${Buffer.from(note).toString('hex')}`);
    expect(r[1]).toMatch(/^T05thread:01;/);
    expect(machine.side).toBe('backup');
    expect(machine.cpuOf(1)!.state.pc >>> 0).toBe(pc);
  });
});

describe('continue in slices', () => {
  it('stops at the same point as single steps, and going back and forward again reaches the same pair', async () => {
    const img = image();
    const loop = addrOf(img, 'loop');
    const stepped = pairSession('primary');
    const sliced = pairSession('primary');
    await ask(sliced.session, `Z0,${loop.toString(16)},4`);
    for (let hit = 0; hit < 150; hit++) await ask(sliced.session, 'c');
    const n = sliced.machine.cpu.state.instret;
    for (let i = 0; i < n; i++) await ask(stepped.session, 's');
    expect(await ask(sliced.session, 'g')).toBe(await ask(stepped.session, 'g'));
    expect(pcOf(await ask(sliced.session, 'g'))).toBe(loop);
    const epoch = await monitor(sliced.session, 'epoch');
    const g = await ask(sliced.session, 'g');
    for (let i = 0; i < 70; i++) await ask(sliced.session, 'bs');
    for (let i = 0; i < 70; i++) await ask(sliced.session, 's');
    expect(await ask(sliced.session, 'g')).toBe(g);
    expect(await monitor(sliced.session, 'epoch')).toBe(epoch);
    const r = await sliced.session.handle('z0,' + loop.toString(16) + ',4');
    expect(r).toEqual(['OK']);
    expect((await sliced.session.handle('c')).at(-1)).toBe('W07');
  });
});
