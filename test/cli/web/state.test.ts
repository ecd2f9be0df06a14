import { describe, expect, it } from 'vitest';
import { Stepper } from '../../../src/cli/stepper.js';
import { StepperModel } from '../../../src/cli/web/state.js';
import { program } from '../../programs.js';

describe("the browser stepper's view of a group", () => {
  it('a replica each, by rank then the failed; the group notes; epochs of a replica that joined on the way', () => {
    const stepper = new Stepper(program('counter.elf'), { ramMiB: 2, backups: 2, rebackupAfter: 1 }, false);
    const model = new StepperModel(stepper, program('counter.elf'), 'counter.elf');
    stepper.command('e');
    stepper.command('f');
    const failed = model.view();
    expect(failed.replicas.map((r) => [r.name, r.rank, r.role, r.status])).toEqual([
      ['backup', 0, 'primary', 'running'],
      ['backup2', 1, 'backup', 'running'],
      ['primary', undefined, 'primary', 'failed'],
    ]);
    expect(failed.failover).toBe('failed: primary; backup took over in epoch 2 (0 completion(s) deleted, DISCONNECTED for 0 device(s))');
    expect(failed.notes).toEqual(['group: a primary and 1 of 2 backup(s)']);
    // As the server does: a view after each command (which starts watching a replica that joined in it).
    for (let i = 0; i < 4; i++) {
      stepper.command('e');
      model.view();
    }
    const v = model.view();
    expect(v.replicas.map((r) => r.name)).toEqual(['backup', 'backup2', 'rebackup1', 'primary']);
    const joined = v.replicas[2]!;
    expect(joined.epochs.length).toBeGreaterThan(0);
    expect(joined.epochs[joined.epochs.length - 1]!.end).toBe(joined.instret);
    expect(v.replicas[0]!.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    stepper.target.dispose();
  });
});
