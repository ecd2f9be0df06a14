/**
 * A fault-tolerant system: the primary and backup computers, each under its monitor, the FIFO channel
 * between them, the fault monitor, and the outside world both act on. A deterministic scheduler
 * interleaves the two computers on one host thread; how far the backup lags is a seeded choice bounded
 * by the channel's capacity. Failures are injected (injector.ts) as fail-stop points on either computer.
 */
import { DEFAULTS } from '../base/defaults.js';
import { Computer } from '../hw/computer.js';
import type { IoOp } from '../hw/types.js';
import { Random } from '../base/random.js';
import type { ProgramImage } from '../../isa/image.js';
import { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import { Monitor, type MonitorChannels, type StepResult } from '../vmm/monitor.js';
import { monitorConfig, type MonitorConfig } from '../vmm/config.js';
import { initialMonitorState } from '../vmm/state.js';
import { World } from '../hw/world.js';
import { FaultMonitor } from './fault-monitor.js';
import { FailureInjector } from './injector.js';
import { takeOverBackup, watchReissues } from './takeover.js';
import { pairResult } from './pair-result.js';
import { deriveSeed } from '../base/seeds.js';
import { Arbiter, FIRST_INCARNATION } from './arbiter.js';
import { CuttableLink, Partition } from './partition.js';
import { askArbiter } from './fence.js';
import { refOf, type FailureRecord, type OpRef, type PairOptions, type PairResult, type PairSnapshot } from './pair-types.js';
import type { PairStop, SideSnapshot, TakeoverSummary, TurnCaps } from './pair-types.js';

export type {
  FailureRecord,
  OpRef,
  PairOptions,
  PairResult,
  PairSnapshot,
  PairStop,
  SideSnapshot,
  TakeoverSummary,
  TurnCaps,
} from './pair-types.js';

export class Pair {
  readonly world: World;
  readonly channel: FifoChannel<PrimaryToBackup>;
  readonly primary: Monitor;
  readonly backup: Monitor;
  readonly faults: FaultMonitor;
  readonly config: MonitorConfig;
  /** The atomic test-and-set that numbers incarnations (spec 9), asked before every takeover and before going on alone. */
  readonly arbiter: Arbiter;
  /** The partition of this run, if it has one. */
  readonly partition: Partition | undefined;
  private readonly scheduler: Random;
  private readonly faultModel: Random;
  private readonly limit: number;
  private readonly pace: number;
  private primaryAlive = true;
  private backupAlive = true;
  private failedAt: { backupInstret: number; backupNow: number } | undefined;
  takeover: TakeoverSummary | undefined;
  /** Set when a computer fail-stops. */
  failure: FailureRecord | undefined;
  private idleTurns = 0;
  private pendingReissue: IoOp[] = [];
  /** Every operation the primary handed to a real device. */
  private started: OpRef[] = [];
  private readonly primaryFailure: FailureInjector;
  private readonly backupFailure: FailureInjector;

  /** A pair at reset with `image` loaded, or, given a snapshot, exactly the pair it was (with `opts`' failure points). */
  constructor(
    image: ProgramImage | undefined,
    private readonly opts: PairOptions = {},
    snap?: PairSnapshot,
  ) {
    const seed = opts.seed ?? DEFAULTS.seed;
    this.config = monitorConfig(opts.monitor);
    this.world = opts.world ?? new World();
    if (snap) this.world.restore(snap.world);
    this.channel = snap ? snap.channel.clone() : new FifoChannel(opts.channelCapacity ?? DEFAULTS.channelCapacity);
    this.faults = new FaultMonitor(this.channel, snap?.faults);
    this.scheduler = new Random(snap ? snap.scheduler.slice() : deriveSeed(seed, 'scheduler'));
    this.faultModel = new Random(snap ? snap.faultModel.slice() : deriveSeed(seed, 'fault-model'));
    this.limit = opts.maxInstructions ?? DEFAULTS.maxInstructions;
    this.pace = opts.backupPace ?? DEFAULTS.backupPace;
    const make = (name: 'primary' | 'backup'): Computer => {
      if (snap) return Computer.restore(snap[name].computer, this.world);
      if (!image) throw new Error('Pair: an image or a snapshot is needed');
      const c = new Computer({
        seed: deriveSeed(seed, name),
        ramMiB: opts.ramMiB,
        trapDelayMax: opts.trapDelayMax,
        world: this.world,
        name,
      });
      c.load(image);
      return c;
    };
    const f = snap ? structuredClone(snap.flags) : undefined;
    const monitorOf = (name: 'primary' | 'backup', channels: MonitorChannels): Monitor =>
      new Monitor(
        make(name),
        this.config,
        snap ? structuredClone(snap[name].monitor) : initialMonitorState(name),
        channels,
        opts.policies,
        snap?.[name].extras,
      );
    this.arbiter = new Arbiter(this.world, opts.fencing ?? true, f?.arbiter);
    const link = opts.partition ? new CuttableLink(this.channel) : undefined;
    // A primary whose backup has failed carries on alone.
    this.primary = monitorOf('primary', f?.backupAlive === false ? {} : { out: link ?? this.channel });
    if (!snap) this.primary.computer.devices.state.incarnation = FIRST_INCARNATION;
    this.backup = monitorOf('backup', { in: this.channel });
    if (opts.maxExits !== undefined) for (const m of [this.primary, this.backup]) m.exitBudget = { limit: opts.maxExits, used: 0 };
    this.primary.observe({ onIoStarted: (op) => this.started.push(refOf(op)) });
    this.primaryFailure = new FailureInjector(this.primary, opts.failAt);
    this.backupFailure = new FailureInjector(this.backup, opts.failBackupAt);
    this.partition = opts.partition && link ? new Partition(opts.partition, link, this.primary, this.arbiter, f?.partition) : undefined;
    if (f) {
      this.primaryAlive = f.primaryAlive;
      this.backupAlive = f.backupAlive;
      this.failedAt = f.failedAt;
      this.idleTurns = f.idleTurns;
      this.failure = f.failure;
      this.started = f.started;
      if (f.takeover) this.watchReissues(f.takeover, f.pendingReissue);
    }
  }

  /** A copy of the whole pair now (between turns). */
  snapshot(): PairSnapshot {
    const side = (m: Monitor, peer?: SideSnapshot): SideSnapshot => ({
      computer: m.computer.snapshot(peer?.computer.ram),
      monitor: m.stateCopy(),
      extras: m.extras(),
    });
    const primary = side(this.primary);
    return {
      primary,
      backup: side(this.backup, primary), // RAM pages equal to the primary's are shared
      channel: this.channel.clone(),
      world: this.world.snapshot(),
      faults: this.faults.state(),
      scheduler: this.scheduler.state.slice(),
      faultModel: this.faultModel.state.slice(),
      flags: structuredClone({
        primaryAlive: this.primaryAlive,
        backupAlive: this.backupAlive,
        failedAt: this.failedAt,
        takeover: this.takeover,
        pendingReissue: this.pendingReissue,
        idleTurns: this.idleTurns,
        failure: this.failure,
        started: this.started,
        arbiter: this.arbiter.state(),
        partition: this.partition?.state(),
      }),
    };
  }

  /** Hands both computers' RAM back for reuse (a fuzzer's case is done with its pair); the pair must not run again. */
  dispose(): void {
    this.primary.computer.dispose();
    this.backup.computer.dispose();
  }

  /** Runs both computers to the end: a halt, a guest fault, a divergence, or the instruction limit. */
  run(): PairResult {
    for (;;) {
      const stop = this.turn();
      if (stop) return this.result(stop);
    }
  }

  /**
   * One scheduling turn: the primary runs an epoch, then maybe the backup catches up. Returns a stop when done.
   * `caps` (a debugger's) bound the instret each computer may reach in this turn; a computer that reaches its cap
   * just ends its part of the turn, so a debugger advances one replica instruction by instruction.
   */
  turn(caps?: TurnCaps): PairStop | undefined {
    const P = this.primary;
    const B = this.backup;
    let backupMustRun = !this.primaryAlive || P.done;
    const before = P.computer.cpu.state.instret + B.computer.cpu.state.instret;
    if (this.primaryAlive && P.done) P.flushPending();
    if (this.partition && this.primaryAlive && P.done) this.primaryAfterPartition();
    if (this.primaryAlive && !P.done) {
      // A partition at an instruction count bounds the run like a debugger's cap: the cut falls between two instructions.
      const cap = Math.min(caps?.primary ?? Infinity, this.partition?.instructionCap() ?? Infinity);
      const r = P.runEpoch(Math.min(this.primaryFailure.limit(this.limit), cap));
      this.partition?.afterPrimaryRun();
      if (r === 'stopped' || (r === 'budget' && this.primaryFailure.reached())) this.fail('primary');
      else if (r === 'budget' && !this.capped(P, cap)) return 'budget';
      else if (this.partition) this.primaryAfterPartition();
      if (r === 'blocked' || r !== 'epoch' || this.pace >= 1 || this.scheduler.nextU32() / 2 ** 32 < this.pace) backupMustRun = true;
      if (this.channel.full || this.partition?.isCut) backupMustRun = true;
    }
    if (this.faults.noticeReady() && this.faults.failed === 'backup') this.faults.deliver();
    if (this.backupAlive && !B.done && backupMustRun) {
      const stop = this.runBackup(caps?.backup);
      if (stop) return stop;
    }
    const done = this.finished();
    if (done) return done;
    const after = P.computer.cpu.state.instret + B.computer.cpu.state.instret;
    this.idleTurns = after === before ? this.idleTurns + 1 : 0;
    // Neither computer can move (e.g. a backup waiting for a primary that will send nothing more): stop cleanly.
    return this.idleTurns > 8 ? 'budget' : undefined;
  }

  /** The backup executes every epoch it may; on the fault monitor's notice it takes over. */
  private runBackup(cap?: number): PairStop | undefined {
    const B = this.backup;
    for (;;) {
      const r: StepResult = B.runEpoch(Math.min(this.backupFailure.limit(this.limit), cap ?? Infinity));
      switch (r) {
        case 'epoch':
          continue;
        case 'waiting':
          if (B.role === 'backup' && this.partition) {
            const d = this.partition.backupTurn(B, this.channel.size === 0);
            if (d && !d.won) {
              this.fail('backup'); // it lost the arbiter: it stops itself
              return undefined;
            }
            if (d?.won) {
              B.computer.devices.promote(d.incarnation);
              this.failedAt ??= { backupInstret: B.computer.cpu.state.instret, backupNow: B.computer.now() };
              this.faults.report('primary');
              this.faults.deliver();
              this.doTakeover();
              continue;
            }
          }
          if (B.role === 'backup' && this.faults.noticeReady()) {
            this.faults.deliver();
            if (this.askAndTakeOver()) continue;
          }
          return undefined;
        case 'stopped':
          this.fail('backup');
          return undefined;
        case 'budget':
          if (!this.backupFailure.reached()) return this.capped(B, cap) ? undefined : 'budget';
          this.fail('backup');
          return undefined;
        case 'diverged':
          return 'diverged';
        case 'blocked':
          return undefined;
        case 'halted':
        case 'fault':
          return undefined;
      }
    }
  }

  /** Whether `m` stopped at a debugger's cap rather than at the pair's instruction limit. */
  private capped(m: Monitor, cap: number | undefined): boolean {
    const n = m.computer.cpu.state.instret;
    // A debugger's breakpoint (Cpu.armBreakpoints) is a cap at the instruction it stopped before.
    return cap !== undefined && (n >= cap || m.computer.cpu.breakHit) && n < this.limit;
  }

  private fail(side: 'primary' | 'backup'): void {
    const m = side === 'primary' ? this.primary : this.backup;
    const st = m.computer.cpu.state;
    const performed: number[] = [];
    this.failure = {
      side,
      instret: st.instret,
      events: m.state.events,
      epoch: m.state.epoch,
      outstanding: m.computer.io.outstanding(),
      inFlight: m.computer.devices.inFlight().length,
      inFlightOpIds: m.computer.devices.inFlight().map((o) => o.opId),
      performedOpIds: performed,
    };
    if (side === 'primary') {
      this.primaryAlive = false;
      const b = this.backup.computer;
      this.failedAt = { backupInstret: b.cpu.state.instret, backupNow: b.now() };
    } else {
      this.backupAlive = false;
      this.primary.detachPeer(); // the fault monitor tells the primary: it carries on alone
    }
    // Rule 3: each operation the failed computer's devices had in flight may or may not have been performed.
    const decide = this.opts.performOutstanding ?? (() => this.faultModel.nextU32() % 2 === 0);
    m.computer.devices.abandon((op) => {
      const yes = decide(op);
      if (yes) performed.push(op.opId);
      return yes;
    });
    this.faults.report(side);
    if (side === 'backup' && this.primaryAlive) this.askToGoOnAlone();
  }

  /**
   * Fails the primary now, between two of its instructions (the stepper's "fail the primary here"). The backup
   * executes the epochs it was told of and takes over; it then stands at the takeover boundary, not run further.
   */
  failPrimaryNow(): void {
    if (!this.primaryAlive) return;
    this.primary.stop();
    this.fail('primary');
    const B = this.backup;
    let r: StepResult = 'epoch';
    while (r === 'epoch' && B.role === 'backup') r = B.runEpoch(this.limit);
    if (r === 'waiting' && B.role === 'backup' && this.faults.noticeReady()) {
      this.faults.deliver();
      this.askAndTakeOver();
    }
  }

  /**
   * A partitioned primary after an epoch: it stops itself once deposed (a device refused it, or it halted
   * while another computer holds the arbiter); its fault monitor may now suspect the backup and ask the
   * arbiter to go on alone: it loses and stops, or wins and carries on without the backup.
   */
  private primaryAfterPartition(): void {
    const P = this.primary;
    if (P.computer.devices.state.deposed || (P.done && this.arbiter.holder === 'backup')) {
      P.stop();
      this.fail('primary');
      return;
    }
    const d = this.partition!.primaryTurn();
    if (!d) return;
    if (!d.won) {
      P.stop();
      this.fail('primary');
    } else {
      P.computer.devices.promote(d.incarnation);
      P.detachPeer();
    }
  }

  /** Every takeover asks the arbiter first (fence.ts; a partition's backup has asked already). False: it lost and stopped. */
  private askAndTakeOver(): boolean {
    const B = this.backup;
    if (!askArbiter(this.arbiter, B, 'backup', 'takeover', B.computer.devices.state.incarnation).won) {
      this.fail('backup');
      return false;
    }
    this.doTakeover();
    return true;
  }

  /** The primary, told that its backup failed, asks before it goes on alone (unless a partition made it ask already). */
  private askToGoOnAlone(): void {
    if (this.arbiter.holder === 'primary' && this.arbiter.incarnation > FIRST_INCARNATION) return;
    const P = this.primary;
    if (askArbiter(this.arbiter, P, 'primary', 'go-on-alone', P.computer.devices.state.incarnation).won) return;
    P.stop();
    this.fail('primary');
  }

  private doTakeover(): void {
    const pending = this.backup.computer.io.outstanding();
    const summary = takeOverBackup(this.backup, this.world, this.started, this.failedAt!);
    this.watchReissues(summary, pending);
  }

  private watchReissues(summary: TakeoverSummary, pending: IoOp[]): void {
    this.takeover = summary;
    this.pendingReissue = pending;
    watchReissues(this.backup, summary, pending);
  }

  /** The run is over when the computer serving the world has stopped and a live backup has caught up with it. */
  private finished(): PairStop | undefined {
    const P = this.primary;
    const B = this.backup;
    if (P.state.divergence || B.state.divergence) return 'diverged';
    const serving = this.serving;
    if (!this.primaryAlive && !this.backupAlive) return 'fault';
    if (!serving.done) return undefined;
    // A deposed primary that does not know it yet still runs: the run ends when it has stopped itself.
    if (this.primaryAlive && this.arbiter.holder === 'backup') return undefined;
    if (this.primaryAlive && this.backupAlive && !B.done) return undefined;
    if (this.primaryAlive && this.backupAlive) {
      if (P.state.halted?.code !== B.state.halted?.code) {
        B.markDiverged(`exit code: primary ${P.state.halted?.code}, backup ${B.state.halted?.code}`);
        return 'diverged';
      }
    }
    return serving.state.halted ? 'halt' : 'fault';
  }

  /** The monitor that serves the world now. */
  get serving(): Monitor {
    return this.primaryAlive && this.arbiter.holder === 'primary' ? this.primary : this.backup;
  }

  get primaryFailed(): boolean {
    return !this.primaryAlive;
  }

  get backupFailed(): boolean {
    return !this.backupAlive;
  }

  /** The result of the run as it stands, reported as `stop` (public so that a caller driving `turn()` can end the run). */
  result(stop: PairStop): PairResult {
    return pairResult(this, stop);
  }
}
