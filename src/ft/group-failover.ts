/**
 * A replica group's failures and what follows them: a replica's fail-stop (its record and Rule 3), the loss of a
 * backup (the primary asks the arbiter before it goes on alone with none left) or of the replica joining, and,
 * once every backup has executed what it was told of, the takeover by the lowest rank, which asks first (fence.ts).
 */
import type { IoOp } from '../hw/types.js';
import type { World } from '../hw/world.js';
import type { Arbiter } from './arbiter.js';
import { abandonInFlight } from './fail-stop.js';
import { askArbiter } from './fence.js';
import { failureOf, joiningFailureOf } from './group-failure-records.js';
import type { FailureList } from './group-failure-list.js';
import type { GroupMembers } from './group-members.js';
import type { GroupFailure, Replica } from './group-types.js';
import type { OpRef, PairStop, TakeoverSummary } from './pair-types.js';
import type { Rebackups } from './rebackup-schedule.js';
import { failedAtOf, takeOver } from './takeover.js';

/** What of a group its failures act on. */
export interface GroupFailoverParts {
  readonly world: World;
  readonly arbiter: Arbiter;
  readonly members: GroupMembers;
  readonly rebackups: Rebackups;
  readonly failureList: FailureList;
  /** Every operation a primary handed to a real device. */
  readonly started: readonly OpRef[];
  /** Where the group's event count stood at each takeover. */
  readonly takeoverMarks: number[];
  /** The group's externally visible actions so far. */
  events(): number;
  /** Rule 3's decision for an operation in flight at a failed computer's devices. */
  readonly performs: (op: IoOp) => boolean;
}

export class GroupFailover {
  readonly failures: GroupFailure[] = [];
  readonly takeovers: TakeoverSummary[] = [];
  private down = false;

  constructor(private readonly p: GroupFailoverParts) {}

  /** The primary has failed and no backup has taken over yet. */
  get primaryDown(): boolean {
    return this.down;
  }

  failPrimary(): void {
    const P = this.p.members.shiftPrimary();
    this.record(P, 0, 'primary');
    this.down = true;
    this.p.rebackups.abort('its source, the primary, failed');
    for (const b of this.p.members.live) b.failedAt = failedAtOf(b.monitor);
  }

  /** The replica a rebackup is bringing in fails: its transfer is abandoned, and counts as a loss (a new one starts). */
  failJoining(): void {
    const { members, rebackups } = this.p;
    const P = members.live[0]!;
    this.failures.push(joiningFailureOf(rebackups.running!.name, P, members.live.length, this.p.events(), this.p.failureList.last));
    rebackups.abort('the joining replica failed');
    rebackups.lost(P.monitor.state.epoch);
  }

  failBackup(b: Replica, rank: number): void {
    const members = this.p.members;
    b.monitor.stop();
    const alone = members.removeBackup(b);
    this.record(b, rank, 'backup');
    if (alone) {
      members.live[0]!.monitor.detachPeer(); // alone: unprotected, it sends nothing more
      if (!this.fence(members.live[0]!, 'go-on-alone')) members.live[0]!.monitor.stop(); // the turn fails it
    }
    this.p.rebackups.lost(members.live[0]!.monitor.state.epoch);
  }

  /** After the primary failed and every backup executed what it was told of: the lowest rank takes over. */
  takeOver(): PairStop | undefined {
    const members = this.p.members;
    this.down = false;
    const [next, ...followers] = members.live;
    if (!next) return 'fault';
    if (next.monitor.done) return undefined; // the guest had halted in the last epoch the backups were told of
    if (!this.fence(next, 'takeover')) {
      // It lost and stops itself; the next rank asks at the next turn.
      next.monitor.stop();
      members.shiftPrimary();
      this.record(next, 0, 'backup');
      this.down = true;
      return undefined;
    }
    const { summary } = takeOver(next.monitor, this.p.world, this.p.started, next.failedAt!);
    this.takeovers.push(summary);
    this.p.takeoverMarks.push(this.p.events());
    members.follow(next, followers, summary.disconnected);
    this.p.rebackups.lost(next.monitor.state.epoch);
    this.p.failureList.check(false);
    return undefined;
  }

  /**
   * The fence step (spec 9): `r` asks the arbiter before it takes over or goes on alone, and the caller stops a
   * loser. A group has no partitions, so every member knows the last incarnation granted (the channel told it).
   */
  private fence(r: Replica, why: 'takeover' | 'go-on-alone'): boolean {
    return askArbiter(this.p.arbiter, r.monitor, r.name, why, this.p.arbiter.incarnation).won;
  }

  private record(r: Replica, rank: number, side: 'primary' | 'backup'): void {
    r.alive = false;
    const live = this.p.members.live.length;
    this.failures.push(failureOf(r, rank, side, live - (side === 'primary' ? 0 : 1), this.p.failureList.last));
    abandonInFlight(r.monitor, this.p.performs);
  }
}
