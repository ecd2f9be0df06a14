/**
 * The side of a takeover (Figure 7) outside the monitor, a pair's and a group's alike: the backup's monitor
 * becomes the primary, and the pair or group records what the takeover cost and which operations the guest
 * then reissued.
 */
import type { IoOp } from '../hw/types.js';
import type { World } from '../hw/world.js';
import type { Monitor } from '../vmm/monitor.js';
import type { OpRef, TakeoverSummary } from './pair-types.js';

/** Where the backup stood when the primary failed. */
export interface FailedAt {
  readonly backupInstret: number;
  readonly backupNow: number;
}

/** Where `backup` stands now, as the primary fails. */
export function failedAtOf(backup: Monitor): FailedAt {
  return { backupInstret: backup.computer.cpu.state.instret, backupNow: backup.computer.now() };
}

/**
 * The backup takes over (`takeOverBackup`) and its reissues are counted from now on (`watchReissues`). Returns the
 * takeover's summary and the operations outstanding at it, of which those not reissued yet remain.
 */
export function takeOver(
  backup: Monitor,
  world: World,
  started: readonly OpRef[],
  at: FailedAt,
): { summary: TakeoverSummary; pending: IoOp[] } {
  const pending = backup.computer.io.outstanding();
  const summary = takeOverBackup(backup, world, started, at);
  watchReissues(backup, summary, pending);
  return { summary, pending };
}

/** The backup takes over; `started` are the operations the old primary handed to real devices. */
export function takeOverBackup(backup: Monitor, world: World, started: readonly OpRef[], at: FailedAt): TakeoverSummary {
  const io = backup.computer.io.state;
  const unknownOutcome = started.filter((o) => o.opId >= io.nextOpId || io.outstanding.some((x) => x.opId === o.opId));
  const issuedBeforeTakeover = io.nextOpId;
  const report = backup.takeOver();
  return {
    ...report,
    instructions: backup.computer.cpu.state.instret - at.backupInstret,
    virtualTime: Math.max(0, backup.computer.now() - at.backupNow),
    reissued: 0,
    worldEffectsBefore: world.effects.length,
    unknownOutcome,
    issuedBeforeTakeover,
  };
}

/** Counts the new primary's operations that reissue one outstanding at the takeover (`pending` shrinks as they come). */
export function watchReissues(newPrimary: Monitor, summary: TakeoverSummary, pending: IoOp[]): void {
  newPrimary.observe({
    onIoStarted: (op) => {
      const i = pending.findIndex((o) => o.device === op.device && o.op === op.op && o.offset === op.offset && o.len === op.len);
      if (i >= 0) {
        pending.splice(i, 1);
        summary.reissued++;
      }
    },
  });
}
