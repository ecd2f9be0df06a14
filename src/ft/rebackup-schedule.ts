/**
 * When a group brings in a new backup: `rebackupAfter` epochs after it lost a replica, while it has fewer
 * than the K backups it started with, one state transfer at a time from the current primary. A transfer
 * whose source fails, or whose guest finishes first, is abandoned; the next loss starts the count again.
 */
import { DEFAULTS } from '../base/defaults.js';
import { deriveSeed } from '../base/seeds.js';
import { StateTransfer } from './rebackup.js';
import type { RebackupReport } from './rebackup-types.js';
import type { GroupCore, GroupOptions } from './group-types.js';

export class Rebackups {
  private lostAt: number | undefined;
  private transfer: StateTransfer | undefined;
  private readonly finished: RebackupReport[] = [];
  private count = 0;

  constructor(
    private readonly group: GroupCore,
    private readonly opts: GroupOptions,
    private readonly seed: number,
  ) {}

  /** A replica was lost at the boundary before `epoch`. */
  lost(epoch: number): void {
    if (this.opts.rebackupAfter !== undefined) this.lostAt = epoch - 1;
  }

  /** The transfer in progress, if any. */
  get running(): StateTransfer | undefined {
    return this.transfer;
  }

  /** At the end of each of the primary's epochs: the transfer's next step, or a new transfer. */
  afterPrimaryEpoch(): void {
    const after = this.opts.rebackupAfter;
    if (after === undefined) return;
    const g = this.group;
    const P = g.primary.monitor;
    const ended = P.state.epoch - 1;
    if (this.transfer) {
      const joined = this.transfer.atBoundary();
      if (!joined) return;
      this.finished.push(this.transfer.report());
      g.adopt({ id: g.replicas.length, name: this.transfer.name, monitor: joined.monitor, input: joined.input, alive: true });
      g.addToFanOut(g.members[g.members.length - 1]!);
      g.marks.joins.push(g.events);
      this.transfer = undefined;
      this.lostAt = g.members.length - 1 < g.backupsAtStart ? ended : undefined;
      return;
    }
    if (this.lostAt === undefined || g.members.length - 1 >= g.backupsAtStart || ended < this.lostAt + after) return;
    const name = `rebackup${++this.count}`;
    this.transfer = new StateTransfer(P, {
      name,
      seed: deriveSeed(this.seed, name),
      bytesPerEpoch: this.opts.transferBytesPerEpoch ?? DEFAULTS.transferBytesPerEpoch,
      maxRounds: DEFAULTS.transferMaxRounds,
      lostAtEpoch: this.lostAt,
      channelCapacity: this.opts.channelCapacity ?? DEFAULTS.channelCapacity,
      world: g.world,
      policies: this.opts.policies,
    });
    g.marks.transferStarts.push(g.events);
    this.transfer.atBoundary();
  }

  abort(reason: string): void {
    if (!this.transfer) return;
    this.transfer.abort(reason);
    this.finished.push(this.transfer.report());
    this.transfer = undefined;
  }

  reports(): RebackupReport[] {
    return this.transfer ? [...this.finished, this.transfer.report()] : this.finished.slice();
  }
}
