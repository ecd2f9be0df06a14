/**
 * A replica group (XSHADOW.md section 8): a primary and K backups, each backup fed over its own FIFO channel
 * (fan-out), each at least one epoch behind with its I/O turned into no-ops. When the primary fails, every
 * surviving backup executes what it was told of; the one of lowest rank takes over (Figure 7) and the others
 * follow it from the same boundary. A backup's failure leaves the others running; with none left the primary
 * runs unprotected, until a rebackup (rebackup.ts) brings a new backup in by state transfer.
 * With K = 1 and one failure of the primary this is exactly a `Pair` (same seeds, same schedule).
 */
import { DEFAULTS } from '../base/defaults.js';
import { Random } from '../base/random.js';
import { deriveSeed } from '../base/seeds.js';
import type { ProgramImage } from '../../isa/image.js';
import { firstReplicas } from './group-replicas.js';
import { FanOutChannel } from '../channel/fanout.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import { World } from '../hw/world.js';
import type { Monitor, StepResult } from '../vmm/monitor.js';
import { monitorConfig, type MonitorConfig } from '../vmm/config.js';
import { formatFailureStep, type FailureStep } from './failure-sequence.js';
import { refOf, type OpRef, type PairStop, type TakeoverSummary } from './pair-types.js';
import { takeOverBackup, watchReissues } from './takeover.js';
import { groupFinished, groupResult } from './group-result.js';
import { failureOf, joiningFailureOf } from './group-failure-records.js';
import { Arbiter } from './arbiter.js';
import { askArbiter } from './fence.js';
import { Rebackups } from './rebackup-schedule.js';
import { FailureList, type GroupClock } from './group-failure-list.js';
import type { GroupFailure, GroupOptions, GroupResult, Replica } from './group-types.js';

export type { GroupFailure, GroupOptions, GroupResult, Replica, ReplicaReport } from './group-types.js';

export class Group {
  readonly world: World;
  readonly config: MonitorConfig;
  readonly backupsAtStart: number;
  /** Every replica that ever ran, in join order. */
  readonly replicas: Replica[] = [];
  /** The live replicas by rank: [0] is the primary. */
  members: Replica[] = [];
  readonly failures: GroupFailure[] = [];
  readonly takeovers: TakeoverSummary[] = [];
  readonly notInjected: string[] = [];
  /** The group's externally visible actions, over every replica that has been primary. */
  events = 0;
  unprotectedEpochs = 0;
  /** The group's event count at each takeover, each transfer's start and each join (where a sweep puts later failures). */
  readonly marks: { takeovers: number[]; transferStarts: number[]; joins: number[] } = { takeovers: [], transferStarts: [], joins: [] };
  readonly rebackups: Rebackups;
  /** Asked before every takeover and before the primary goes on alone (fence.ts). */
  readonly arbiter: Arbiter;
  private fanOut: FanOutChannel<PrimaryToBackup>;
  private readonly scheduler: Random;
  private readonly faultModel: Random;
  private readonly limit: number;
  private readonly pace: number;
  private readonly failureList: FailureList;
  /** The primary has failed and no backup has taken over yet. */
  private primaryDown = false;
  private idleTurns = 0;
  /** The last epoch a primary ended. */
  private epochsEnded = 0;
  private started: OpRef[] = [];

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
    this.scheduler = new Random(deriveSeed(seed, 'scheduler'));
    this.faultModel = new Random(deriveSeed(seed, 'fault-model'));
    this.limit = opts.maxInstructions ?? DEFAULTS.maxInstructions;
    this.pace = opts.backupPace ?? DEFAULTS.backupPace;
    this.arbiter = new Arbiter(this.world, opts.fencing ?? true);
    this.failureList = new FailureList(
      opts.failures ?? [],
      () => this.clock,
      (s) => this.fire(s),
    );
    const first = firstReplicas(image, opts, this.config, this.world, k);
    this.fanOut = first.fanOut;
    for (const r of first.replicas) this.adopt(r);
    this.rebackups = new Rebackups(this, opts, seed);
    this.failureList.check(false);
  }

  /** Puts a replica in the group at the lowest rank (a backup that joined last) and watches it. */
  adopt(r: Replica): void {
    this.replicas.push(r);
    this.members.push(r);
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
    this.fanOut.add(r.input);
    this.members[0]!.monitor.attachPeer(this.fanOut);
  }

  get primary(): Replica {
    return this.members[0]!;
  }

  /** The monitor that serves the world now. */
  get serving(): Monitor {
    return this.members[0]?.monitor ?? this.replicas[0]!.monitor;
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

  private work(): number {
    return this.members.reduce((n, r) => n + r.monitor.computer.cpu.state.instret, 0);
  }

  /** One scheduling turn: the primary runs an epoch, then maybe every backup catches up. */
  turn(): PairStop | undefined {
    const before = this.work();
    if (this.primaryDown) {
      const stop = this.catchUpAndTakeOver();
      if (stop) return stop;
    }
    const P = this.members[0];
    if (!P) return 'fault';
    let backupsMustRun = P.monitor.done;
    if (P.monitor.done) P.monitor.flushPending();
    else {
      const r = P.monitor.runEpoch(this.failureList.limit(this.limit));
      this.failureList.check(true);
      if (P.monitor.stopped) {
        this.failPrimary();
        return this.turnEnd(before);
      }
      if (r === 'budget') return 'budget';
      if (r === 'epoch') this.afterPrimaryEpoch();
      if (r !== 'epoch' || this.pace >= 1 || this.scheduler.nextU32() / 2 ** 32 < this.pace) backupsMustRun = true;
      if (this.fanOut.full) backupsMustRun = true;
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
    if (rank === 'joining') return this.rebackups.running ? void this.failJoining() : 'no replica joining';
    const target = this.members[rank];
    if (!target || this.primaryDown) return `no replica of rank ${rank}`;
    if (rank > 0) {
      this.failBackup(target, rank);
      return undefined;
    }
    target.monitor.stop(); // in a turn, the primary's run returns 'stopped' and the turn fails it
    if (takeOverNow) {
      this.failPrimary();
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
    this.idleTurns = this.work() === before ? this.idleTurns + 1 : 0;
    return this.idleTurns > 8 ? 'budget' : undefined;
  }

  /** A backup executes every epoch it may. 'waiting' and the ends of the guest return undefined. */
  private runBackup(b: Replica): PairStop | undefined {
    for (;;) {
      const r: StepResult = b.monitor.runEpoch(this.limit);
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
    this.primaryDown = false;
    const [next, ...followers] = this.members;
    if (!next) return 'fault';
    if (next.monitor.done) return undefined; // the guest had halted in the last epoch the backups were told of
    if (!this.fence(next, 'takeover')) {
      // It lost and stops itself; the next rank asks at the next turn.
      next.monitor.stop();
      this.members.shift();
      this.record(next, 0, 'backup');
      this.primaryDown = true;
      return undefined;
    }
    const pending = next.monitor.computer.io.outstanding();
    const summary = takeOverBackup(next.monitor, this.world, this.started, next.failedAt!);
    watchReissues(next.monitor, summary, pending);
    this.takeovers.push(summary);
    this.marks.takeovers.push(this.events);
    for (const f of followers) f.monitor.followTakeover(summary.disconnected);
    this.fanOut = new FanOutChannel(followers.map((f) => f.input));
    if (followers.length > 0) next.monitor.attachPeer(this.fanOut);
    this.rebackups.lost(next.monitor.state.epoch);
    this.failureList.check(false);
    return undefined;
  }

  private failPrimary(): void {
    const P = this.members.shift()!;
    this.record(P, 0, 'primary');
    this.primaryDown = true;
    this.rebackups.abort('its source, the primary, failed');
    for (const b of this.members) b.failedAt = { backupInstret: b.monitor.computer.cpu.state.instret, backupNow: b.monitor.computer.now() };
  }

  /** The replica a rebackup is bringing in fails: its transfer is abandoned, and counts as a loss (a new one starts). */
  private failJoining(): void {
    const P = this.members[0]!;
    this.failures.push(joiningFailureOf(this.rebackups.running!.name, P, this.members.length, this.events, this.failureList.last));
    this.rebackups.abort('the joining replica failed');
    this.rebackups.lost(P.monitor.state.epoch);
  }

  private failBackup(b: Replica, rank: number): void {
    b.monitor.stop();
    this.members = this.members.filter((m) => m !== b);
    this.fanOut.remove(b.input);
    this.record(b, rank, 'backup');
    if (this.fanOut.count === 0) {
      this.members[0]!.monitor.detachPeer(); // alone: unprotected, it sends nothing more
      if (!this.fence(this.members[0]!, 'go-on-alone')) this.members[0]!.monitor.stop(); // the turn fails it
    }
    this.rebackups.lost(this.members[0]!.monitor.state.epoch);
  }

  /**
   * The fence step (spec 9): `r` asks the arbiter before it takes over or goes on alone, and the caller stops a
   * loser. A group has no partitions, so every member knows the last incarnation granted (the channel told it).
   */
  private fence(r: Replica, why: 'takeover' | 'go-on-alone'): boolean {
    return askArbiter(this.arbiter, r.monitor, r.name, why, this.arbiter.incarnation).won;
  }

  private record(r: Replica, rank: number, side: 'primary' | 'backup'): void {
    r.alive = false;
    this.failures.push(failureOf(r, rank, side, this.members.length - (side === 'primary' ? 0 : 1), this.failureList.last));
    // Rule 3: each operation the failed computer's devices had in flight may or may not have been performed.
    const decide = this.opts.performOutstanding ?? (() => this.faultModel.nextU32() % 2 === 0);
    r.monitor.computer.devices.abandon(decide);
  }

  /** Where the group stands, as the failure list reads its points. */
  private get clock(): GroupClock {
    const P = this.members[0];
    const ready = P !== undefined && !this.primaryDown && !P.monitor.stopped;
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
    return groupFinished(this.replicas, this.members, this.primaryDown);
  }
}
