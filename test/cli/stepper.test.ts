import { describe, expect, it } from 'vitest';
import { Stepper } from '../../src/cli/stepper.js';
import type { GroupTarget } from '../../src/cli/step-target.js';
import { program } from '../programs.js';

describe('the stepper fails the primary where it stands (f)', () => {
  it('the backup catches up, takes over, and stepping goes on with it', () => {
    const s = new Stepper(program('counter.elf'), {}, false);
    s.command('e');
    s.command('g kio_submit');
    const out = s.command('f').output;
    expect(out).toMatch(
      /^the primary fail-stops at instret 27778, pc 80000a98\nthe backup took over in epoch 7: 0 completion\(s\) deleted \(312\), DISCONNECTED for 0 device\(s\) \(314\); stepping goes on with the new primary\n/,
    );
    expect(out).toContain('PRIMARY [primary] failed (fail-stop)');
    expect(out).toContain('BACKUP [primary] running');
    const b = s.pair.backup.computer.cpu.state;
    const before = b.instret;
    s.command('s 5');
    expect(b.instret).toBe(before + 5);
    expect(s.command('f').output).toBe('the primary has already failed\n' + s.view());
  });
});

describe('the stepper with --backups K: a column per replica', () => {
  const opts = { ramMiB: 2, backups: 2, rebackupAfter: 1 };

  it('shows every replica side by side, by rank, the failed ones last', () => {
    const s = new Stepper(program('counter.elf'), opts, false);
    expect(s.command('e').output.split('\n').slice(0, 5)).toEqual([
      'primary: epoch',
      'backup ran 1 epoch(s)',
      'backup2 ran 1 epoch(s)',
      'PRIMARY (rank 0) [primary] running         | BACKUP (rank 1) [backup] running           | BACKUP2 (rank 2) [backup] running',
      'pc 80000024 <_start+0x24>                  | pc 80000024 <_start+0x24>                  | pc 80000024 <_start+0x24>',
    ]);
    const v = s.view().split('\n');
    expect(v).toContain(
      '   tp=00000000     t0=80003f10             |    tp=00000000     t0=80003f10             |    tp=00000000     t0=80003f10',
    );
    expect(v).toContain(
      'channel: (the primary sends)               | channel: 0 message(s) (empty)              | channel: 0 message(s) (empty)',
    );
    expect(v).toContain('group: a primary and 2 of 2 backup(s)');
    const f = s.command('f').output;
    expect(f).toMatch(
      /^primary \(rank 0\) fail-stops at instret 4096, pc 80000024\nbackup took over in epoch 2: 0 completion\(s\) deleted \(312\), DISCONNECTED for 0 device\(s\) \(314\); 1 backup\(s\) follow it; stepping goes on with the new primary\nBACKUP \(rank 0\) \[primary\] running {10}\| BACKUP2 \(rank 1\) \[backup\] running {10}\| PRIMARY \[primary\] failed \(fail-stop\)\n/,
    );
    // A replica that has stopped keeps its last state; registers that differ from the primary's are marked.
    const after = s.command('e').output;
    expect(after).toContain('|    tp=00000000  *  t0=80003f10*');
    expect(after).toContain('\njoining: rebackup1 by state transfer since epoch 2, round 1, 8192 bytes of RAM sent (f joining fails it)\n');
    expect(s.command('e').output.split('\n')[2]).toBe(
      'BACKUP (rank 0) [primary] running          | BACKUP2 (rank 1) [backup] running          | REBACKUP1 (rank 2) [backup] running        | PRIMARY [primary] failed (fail-stop)',
    );
    s.target.dispose();
  });

  it('f RANK fails that replica, f joining the one being transferred; wrong ranks are refused', () => {
    const s = new Stepper(program('counter.elf'), { ...opts, backups: 1, rebackupAfter: 0 }, false);
    const first = (cmd: string): string => s.command(cmd).output.split('\n').slice(0, 2).join('\n');
    expect(first('f 2')).toBe('f: no replica of rank 2\nPRIMARY (rank 0) [primary] running         | BACKUP (rank 1) [backup] running');
    expect(first('f x')).toBe(
      "f: expected a rank (0 the primary, 1.. the backups) or joining, got 'x'\nPRIMARY (rank 0) [primary] running         | BACKUP (rank 1) [backup] running",
    );
    expect(first('f joining')).toBe('f: no replica joining\nPRIMARY (rank 0) [primary] running         | BACKUP (rank 1) [backup] running');
    expect(first('f 1')).toBe('backup (rank 1) fail-stops at instret 0, pc 80000000\nthe primary goes on alone, UNPROTECTED');
    expect(s.view()).toContain('\ngroup: the primary runs alone, UNPROTECTED\n');
    s.command('e');
    expect(first('f joining')).toBe(
      'rebackup1 (joining) fails during its state transfer: the transfer is abandoned\nPRIMARY (rank 0) [primary] running         | BACKUP [backup] failed (fail-stop)',
    );
    s.command('e');
    expect(s.view()).toContain('\njoining: rebackup2 by state transfer since epoch 2,');
    expect(s.command('c').output).toMatch(/^run ended: halted with exit code 47\n/);
    expect((s.target as GroupTarget).group.failures.map((x) => [x.name, x.side])).toEqual([
      ['backup', 'backup'],
      ['rebackup1', 'joining'],
    ]);
    s.target.dispose();
  });

  it('failing the last replica ends the group, and stepping says so', () => {
    const s = new Stepper(program('counter.elf'), { ramMiB: 2, backups: 1 }, false);
    s.command('f 1');
    expect(s.command('f').output).toMatch(
      /^primary \(rank 0\) fail-stops at instret 0, pc 80000000\nno backup was left: every replica of the group has failed\n[^]*\ngroup: every replica has failed\n$/,
    );
    expect(s.command('c').output.split('\n')[0]).toBe('run ended: every replica of the group failed');
    s.target.dispose();
  });

  it('a pair refuses f with a rank other than 0', () => {
    const s = new Stepper(program('counter.elf'), {}, false);
    expect(s.command('f 1').output.split('\n')[0]).toBe('f: a pair fails only its primary (f or f 0); step --backups K fails any rank');
  });
});
