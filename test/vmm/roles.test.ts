import { describe, expect, it } from 'vitest';
import { Pair } from '../../src/ft/pair.js';
import { BackupRole } from '../../src/vmm/backup.js';
import { PrimaryRole } from '../../src/vmm/primary.js';
import type { EpochEndReason, StateDigest } from '../../src/channel/protocol.js';
import { program } from '../programs.js';

describe('roles as policies', () => {
  it("the pair runs each replica under the policy it is given, and a takeover swaps in the primary's", () => {
    const made: string[] = [];
    let checks = 0;
    class CountingBackup extends BackupRole {
      override check(reason: EpochEndReason, instret: number, digest: StateDigest | undefined) {
        checks++;
        return super.check(reason, instret, digest);
      }
    }
    const pair = new Pair(program('journal.elf'), {
      seed: 4,
      failAt: { kind: 'event', n: 20 },
      policies: {
        primary: (ctx) => (made.push('primary'), new PrimaryRole(ctx)),
        backup: (ctx) => (made.push('backup'), new CountingBackup(ctx)),
      },
    });
    const r = pair.run();
    expect(r.stop).toBe('halt');
    expect(r.failedOver).toBe(true);
    // primary and backup at construction, then the backup's new primary policy at the takeover
    expect(made).toEqual(['primary', 'backup', 'primary']);
    expect(checks).toBeGreaterThan(0);
    // the backup's checks stop at the takeover; its epochs as the new primary are not checked
    expect(checks).toBeLessThan(pair.backup.state.counters.epochs);
  });

  it("the monitor's state is read-only from outside; it changes only through the monitor's methods", () => {
    const pair = new Pair(program('hello.s'), { seed: 1 });
    // @ts-expect-error the state is a read-only view
    pair.primary.state.epoch = 7;
    // @ts-expect-error nested parts too
    pair.primary.state.counters.epochs = 7;
    expect(pair.primary.state).not.toBe(pair.primary.stateCopy());
    expect(pair.primary.stateCopy()).toEqual(pair.primary.state);
    pair.backup.markDiverged('by hand');
    expect(pair.backup.state.divergence).toEqual({ epoch: 1, where: 'by hand' });
    expect(pair.run().stop).toBe('diverged');
  });
});
