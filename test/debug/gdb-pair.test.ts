import { describe, expect, it } from 'vitest';
import { le32 } from '../../src/debug/gdb-packets.js';
import { ask, monitor, pairSession, brief } from './sessions.js';

describe('the gdb session on a pair', () => {
  it('shows the epoch, the recovery register, the channel and the other replica', async () => {
    const { session } = pairSession('primary');
    for (let i = 0; i < 100; i++) await ask(session, 's');
    expect(await monitor(session, 'epoch')).toBe(
      'primary: epoch 2, role primary, running, instret 100\nbackup: epoch 2, role backup, running, instret 64\n',
    );
    expect(await monitor(session, 'rr')).toBe('primary: rr 28 (epoch length 64)\nbackup: rr 64 (epoch length 64)\n');
    expect(await monitor(session, 'channel')).toBe('channel: 0 message(s) (empty)\n');
    expect(await monitor(session, 'other')).toBe(
      'backup (running): pc 0x80000010 <loop+0x8>  bne\tt0,t1,0x80000008  epoch 2  instret 64\n',
    );
  });

  it('follows the backup through the takeover after monitor fail, and replays the failure when re-run', async () => {
    const { session, machine } = pairSession('primary');
    for (let i = 0; i < 100; i++) await ask(session, 's');
    expect(await monitor(session, 'fail')).toBe(
      'the primary fail-stops before its next instruction; from there the debugger follows the backup, which catches up and takes over\n',
    );
    expect(await monitor(session, 'fail')).toBe('monitor fail: the primary fails already before its next instruction\n');
    expect(machine.side).toBe('primary');
    // The backup catches up to the last epoch end it received (64) and takes over there.
    await ask(session, 's');
    expect(machine.side).toBe('backup');
    expect(machine.pair.takeover?.epoch).toBe(2);
    const after = await monitor(session, 'epoch');
    expect(after).toBe(
      'primary: epoch 2, role primary, failed, instret 100\nbackup: epoch 2, role primary, running, instret 65\n' +
        'takeover: the backup took over in epoch 2\n',
    );
    expect(await monitor(session, 'fail')).toBe('monitor fail: the primary has failed already\n');
    const g = await ask(session, 'g');
    await ask(session, 'bs'); // the pair just before the failure
    expect(machine.pair.primaryFailed).toBe(false);
    expect(machine.side).toBe('primary');
    expect(machine.cpu.state.instret).toBe(100);
    for (let i = 0; i < 30; i++) await ask(session, 'bs');
    for (let i = 0; i < 31; i++) await ask(session, 's');
    expect(await ask(session, 'g')).toBe(g);
    expect(await monitor(session, 'epoch')).toBe(after);
    const r = await session.handle('c');
    expect(r[r.length - 1]).toBe('W07');
  });

  it('debugs the backup with --replica backup: it waits for the primary epoch by epoch', async () => {
    const { session } = pairSession('backup');
    expect(brief(await ask(session, 's'))).toBe(`T05thread:02;20:${le32(0x80000004)};`);
    expect(await monitor(session, 'epoch')).toBe(
      'primary: epoch 2, role primary, running, instret 64\nbackup: epoch 1, role backup, running, instret 1\n',
    );
    await ask(session, 's');
    await ask(session, 's');
    // The primary runs an epoch a turn, ahead of the backup, which still executes epoch 1.
    expect(await monitor(session, 'channel')).toBe(
      'channel: 2 message(s)\n  E2 epoch-end (rr) instret=128\n  E3 epoch-end (rr) instret=192\n',
    );
  });
});
