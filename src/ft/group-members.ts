/**
 * Who is in a replica group: every replica that ever ran, the live ones by rank ([0] is the primary), and the
 * fan-out through which the primary feeds the live backups. Replicas join at the lowest rank and leave when they
 * fail; a takeover re-forms the fan-out from the new primary to the backups that follow it.
 */
import { FanOutChannel } from '../channel/fanout.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import type { Monitor } from '../vmm/monitor.js';
import type { Replica } from './group-types.js';

export class GroupMembers {
  /** Every replica that ever ran, in join order. */
  readonly replicas: Replica[] = [];
  /** The live replicas by rank: [0] is the primary. */
  live: Replica[] = [];

  constructor(private fanOut: FanOutChannel<PrimaryToBackup>) {}

  /** Puts a replica in the group at the lowest rank (a backup that joined last). */
  join(r: Replica): void {
    this.replicas.push(r);
    this.live.push(r);
  }

  /** A joining replica's channel starts receiving the primary's messages. */
  addToFanOut(r: Replica): void {
    this.fanOut.add(r.input);
    this.live[0]!.monitor.attachPeer(this.fanOut);
  }

  /** The monitor that serves the world now. */
  get serving(): Monitor {
    return this.live[0]?.monitor ?? this.replicas[0]!.monitor;
  }

  /** Whether some backup's channel is full (the primary must wait for it). */
  get full(): boolean {
    return this.fanOut.full;
  }

  /** The live replicas' retired instructions, together. */
  work(): number {
    return this.live.reduce((n, r) => n + r.monitor.computer.cpu.state.instret, 0);
  }

  /** The primary leaves (it failed, or lost the arbiter); returns it. */
  shiftPrimary(): Replica {
    return this.live.shift()!;
  }

  /** Backup `b` leaves; returns whether the primary has no backup left. */
  removeBackup(b: Replica): boolean {
    this.live = this.live.filter((m) => m !== b);
    this.fanOut.remove(b.input);
    return this.fanOut.count === 0;
  }

  /** After `next` took over (its devices `disconnected`), the other live replicas follow it from the same boundary. */
  follow(next: Replica, followers: readonly Replica[], disconnected: readonly number[]): void {
    for (const f of followers) f.monitor.followTakeover(disconnected);
    this.fanOut = new FanOutChannel(followers.map((f) => f.input));
    if (followers.length > 0) next.monitor.attachPeer(this.fanOut);
  }
}
