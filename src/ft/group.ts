/**
 * A replica group (XSHADOW.md section 8): a primary and K backups, each backup fed over its own FIFO channel
 * (fan-out), each at least one epoch behind with its I/O turned into no-ops. When the primary fails, every
 * surviving backup executes what it was told of; the one of lowest rank takes over (Figure 7) and the others
 * follow it from the same boundary. A backup's failure leaves the others running; with none left the primary
 * runs unprotected, until a rebackup (rebackup.ts) brings a new backup in by state transfer.
 * With K = 1 and one failure of the primary this is exactly a `Pair` (same seeds, same schedule).
 */
import { DEFAULTS } from '../base/defaults.js';
import type { ProgramImage } from '../../isa/image.js';
import { firstReplicas } from './group-replicas.js';
import { World } from '../hw/world.js';
import type { Monitor, StepResult } from '../vmm/monitor.js';
import { monitorConfig, type MonitorConfig } from '../vmm/config.js';
import { formatFailureStep, type FailureStep } from './failure-sequence.js';
import { refOf, type OpRef, type PairStop, type TakeoverSummary } from './pair-types.js';
import { groupFinished, groupResult } from './group-result.js';
import { Arbiter } from './arbiter.js';
import { Rebackups } from './rebackup-schedule.js';
import { FailureList, type GroupClock } from './group-failure-list.js';
import { GroupMembers } from './group-members.js';
import { GroupFailover } from './group-failover.js';
import { Schedule } from './seeded.js';
import type { GroupFailure, GroupOptions, GroupResult, Replica } from './group-types.js';

export type { GroupFailure, GroupOptions, GroupResult, Replica, ReplicaReport } from './group-types.js';

export class Group {
  readonly world: World;
  readonly config: MonitorConfig;
  readonly backupsAtStart: number;
  readonly notInjected: string[] = [];
  /** The group's externally visible actions, over every replica that has been primary. */
  events = 0;
  unprotectedEpochs = 0;
  /** The group's event count at each takeover, each transfer's start and each join (where a sweep puts later failures). */
  readonly marks: { takeovers: number[]; transferStarts: number[]; joins: number[] } = { takeovers: [], transferStarts: [], joins: [] };
  readonly rebackups: Rebackups;
  /** Asked before every takeover and before the primary goes on alone (fence.ts). */
  readonly arbiter: Arbiter;
  private readonly m: GroupMembers;
  private readonly schedule: Schedule;
  private readonly failureList: FailureList;
  private readonly failover: GroupFailover;
  /** The last epoch a primary ended. */
  private epochsEnded = 0;
  private readonly started: OpRef[] = [];

  constructor(
    image: ProgramImage,
    readonly opts: GroupOptions = {},
  ) {
    const seed = opts.seed ?? DEFAULTS.seed;
    const k = opts.backups ?? 1;
    if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`a group needs at least one backup, got ${k}`);
    this.backupsAtStart = k;
    this.config = monitorConfig(opts.monitor);
    this.world = opts.world ?? new World();
    this.schedule = new Schedule(opts);
    this.arbiter = new Arbiter(this.world, opts.fencing ?? true);
    this.failureList = new FailureList(
      opts.failures ?? [],
      () => this.clock,
      (s) => this.fire(s),
    );
    const first = firstReplicas(image, opts, this.config, this.world, k);
    this.m = new GroupMembers(first.fanOut);
    for (const r of first.replicas) this.adopt(r);
    this.rebackups = new Rebackups(this, opts, seed);
    this.failover = new GroupFailover({
      world: this.world,
      arbiter: this.arbiter,
      members: this.m,
      rebackups: this.rebackups,
      failureList: this.failureList,
      started: this.started,
      takeoverMarks: this.marks.takeovers,
      events: () => this.events,
      performs: this.schedule.performs(opts.performOutstanding),
    });
    this.failureList.check(false);
  }

  /** Every replica that ever ran, in join order. */
  get replicas(): Replica[] {
    return this.m.replicas;
  }

  /** The live replicas by rank: [0] is the primary. */
  get members(): Replica[] {
    return this.m.live;
  }

  get failures(): GroupFailure[] {
    return this.failover.failures;
  }

  get takeovers(): TakeoverSummary[] {
    return this.failover.takeovers;
  }

  /** Puts a replica in the group at the lowest rank (a backup that joined last) and watches it. */
  adopt(r: Replica): void {
    this.m.join(r);
    r.monitor.observe({
      onEvent: () => {
        this.events++;
        this.failureList.check(false);
      },
      onIoStarted: (op) => this.started.push(refOf(op)),
      onEpochEnd: (epoch) => {
        if (r !== this.members[0]) return;
        this.epochsEnded = epoch;
        this.failureList.check(false);
      },
    });
  }

  /** A joining replica's channel starts receiving the primary's messages. */
  addToFanOut(r: Replica): void {
    this.m.addToFanOut(r);
  }

  get primary(): Replica {
    return this.members[0]!;
  }

  /** The monitor that serves the world now. */
  get serving(): Monitor {
    return this.m.serving;
  }

  /** Runs the group to the end: a halt, a guest fault, a divergence, every replica lost, or the instruction limit. */
  run(): GroupResult {
    for (;;) {
      const stop = this.turn();
      if (stop) return this.result(stop);
    }
  }

  result(stop: PairStop): GroupResult {
    return groupResult(this, stop);
  }

  /** One scheduling turn: the primary runs an epoch, then maybe every backup catches up. */
  turn(): PairStop | undefined {
    const before = this.m.work();
    if (this.failover.primaryDown) {
      const stop = this.catchUpAndTakeOver();
      if (stop) return stop;
    }
    const P = this.members[0];
    if (!P) return 'fault';
    let backupsMustRun = P.monitor.done;
    if (P.monitor.done) P.monitor.flushPending();
    else {
      const r = P.monitor.runEpoch(this.failureList.limit(this.schedule.limit));
      this.failureList.check(true);
      if (P.monitor.stopped) {
        this.failover.failPrimary();
        return this.turnEnd(before);
      }
      if (r === 'budget') return 'budget';
      if (r === 'epoch') this.afterPrimaryEpoch();
      if (this.schedule.backupsRun(r)) backupsMustRun = true;
      if (this.m.full) backupsMustRun = true;
    }
    if (P.monitor.done) this.rebackups.abort('the guest finished first');
    if (backupsMustRun) {
      for (const b of this.members.slice(1)) {
        const stop = this.runBackup(b);
        if (stop) return stop;
      }
    }
    return this.turnEnd(before);
  }

  /** At the end of each of the primary's epochs: the unprotected count, and the rebackup's next step. */
  afterPrimaryEpoch(): void {
    if (this.members.length === 1) this.unprotectedEpochs++;
    this.rebackups.afterPrimaryEpoch();
  }

  /**
   * Fails a replica now, between two of its actions (the stepper's `f`): rank 0 is the primary (the backups
   * catch up and the lowest rank takes over before this returns), 'joining' the replica being transferred.
   * Returns why nothing failed, or undefined.
   */
  failNow(rank: number | 'joining', takeOverNow = true): string | undefined {
    if (rank === 'joining') return this.rebackups.running ? void this.failover.failJoining() : 'no replica joining';
    const target = this.members[rank];
    if (!target || this.failover.primaryDown) return `no replica of rank ${rank}`;
    if (rank > 0) {
      this.failover.failBackup(target, rank);
      return undefined;
    }
    target.monitor.stop(); // in a turn, the primary's run returns 'stopped' and the turn fails it
    if (takeOverNow) {
      this.failover.failPrimary();
      this.catchUpAndTakeOver();
    }
    return undefined;
  }

  /** Hands every replica's RAM back for reuse (and a running transfer's); the group must not run again. */
  dispose(): void {
    this.rebackups.abort('the group was disposed');
    for (const r of this.replicas) r.monitor.computer.dispose();
  }

  private turnEnd(before: number): PairStop | undefined {
    const done = this.finished();
    if (done) return done;
    return this.schedule.idle(this.m.work() !== before);
  }

  /** A backup executes every epoch it may. 'waiting' and the ends of the guest return undefined. */
  private runBackup(b: Replica): PairStop | undefined {
    for (;;) {
      const r: StepResult = b.monitor.runEpoch(this.schedule.limit);
      if (r === 'epoch') continue;
      if (r === 'diverged') return 'diverged';
      if (r === 'budget') return 'budget';
      return undefined;
    }
  }

  /** After the primary failed: every backup executes what it was told of; the lowest rank takes over. */
  private catchUpAndTakeOver(): PairStop | undefined {
    for (const b of this.members) {
      const stop = this.runBackup(b);
      if (stop) return stop;
    }
    return this.failover.takeOver();
  }

  /** Where the group stands, as the failure list reads its points. */
  private get clock(): GroupClock {
    const P = this.members[0];
    const ready = P !== undefined && !this.failover.primaryDown && !P.monitor.stopped;
    return { events: this.events, epochsEnded: this.epochsEnded, instret: this.serving.computer.cpu.state.instret, ready };
  }

  /** Fails the replica an element of the failure list names, when its point has come. */
  private fire(s: FailureStep): void {
    const missing = this.failNow(s.rank, false);
    if (missing) this.notInjected.push(`${formatFailureStep(s)}: ${missing} when the point came`);
    if (missing || s.rank !== 0) this.failureList.check(false);
  }

  /** Elements of the failure list never reached. */
  unreached(): string[] {
    return this.failureList.unreached();
  }

  private finished(): PairStop | undefined {
    return groupFinished(this.replicas, this.members, this.failover.primaryDown);
  }
}
