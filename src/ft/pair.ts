/**
 * A fault-tolerant system: the primary and backup computers, each under its monitor, the FIFO channel
 * between them, the fault monitor, and the outside world both act on. A deterministic scheduler
 * interleaves the two computers on one host thread; how far the backup lags is a seeded choice bounded
 * by the channel's capacity. Failures are injected (injector.ts) as fail-stop points on either computer;
 * what follows a failure is pair-failover.ts, and a pair's snapshots are pair-snapshot.ts.
 */
import { DEFAULTS } from '../base/defaults.js';
import type { ProgramImage } from '../../isa/image.js';
import { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import type { Monitor, MonitorChannels, StepResult } from '../vmm/monitor.js';
import { monitorConfig, type MonitorConfig } from '../vmm/config.js';
import { World } from '../hw/world.js';
import { FaultMonitor } from './fault-monitor.js';
import { FailureInjector } from './injector.js';
import { pairResult } from './pair-result.js';
import { Arbiter, FIRST_INCARNATION } from './arbiter.js';
import { CuttableLink, Partition } from './partition.js';
import { PairFailover } from './pair-failover.js';
import { pairMonitor, pairSnapshot } from './pair-snapshot.js';
import { Schedule } from './seeded.js';
import type { FailureRecord, PairOptions, PairResult, PairSnapshot, PairStop, TakeoverSummary, TurnCaps } from './pair-types.js';

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
  private readonly schedule: Schedule;
  private readonly failover: PairFailover;
  private readonly primaryFailure: FailureInjector;
  private readonly backupFailure: FailureInjector;

  /** A pair at reset with `image` loaded, or, given a snapshot, exactly the pair it was (with `opts`' failure points). */
  constructor(image: ProgramImage | undefined, opts: PairOptions = {}, snap?: PairSnapshot) {
    this.config = monitorConfig(opts.monitor);
    this.world = opts.world ?? new World();
    if (snap) this.world.restore(snap.world);
    this.channel = snap ? snap.channel.clone() : new FifoChannel(opts.channelCapacity ?? DEFAULTS.channelCapacity);
    this.faults = new FaultMonitor(this.channel, snap?.faults);
    const f = snap ? structuredClone(snap.flags) : undefined;
    this.schedule = new Schedule(opts, snap && { scheduler: snap.scheduler, faultModel: snap.faultModel, idleTurns: snap.flags.idleTurns });
    const monitorOf = (name: 'primary' | 'backup', channels: MonitorChannels): Monitor =>
      pairMonitor(name, image, opts, this.config, this.world, channels, snap);
    this.arbiter = new Arbiter(this.world, opts.fencing ?? true, f?.arbiter);
    const link = opts.partition ? new CuttableLink(this.channel) : undefined;
    // A primary whose backup has failed carries on alone.
    this.primary = monitorOf('primary', f?.backupAlive === false ? {} : { out: link ?? this.channel });
    if (!snap) this.primary.computer.devices.state.incarnation = FIRST_INCARNATION;
    this.backup = monitorOf('backup', { in: this.channel });
    if (opts.maxExits !== undefined) for (const m of [this.primary, this.backup]) m.exitBudget = { limit: opts.maxExits, used: 0 };
    const parts = { primary: this.primary, backup: this.backup, world: this.world, faults: this.faults, arbiter: this.arbiter };
    this.failover = new PairFailover({ ...parts, performs: this.schedule.performs(opts.performOutstanding) }, f);
    this.primaryFailure = new FailureInjector(this.primary, opts.failAt);
    this.backupFailure = new FailureInjector(this.backup, opts.failBackupAt);
    this.partition = opts.partition && link ? new Partition(opts.partition, link, this.primary, this.arbiter, f?.partition) : undefined;
  }

  /** A copy of the whole pair now (between turns). */
  snapshot(): PairSnapshot {
    return pairSnapshot(this, this.schedule.state(), this.failover.flags());
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
    const F = this.failover;
    let backupMustRun = !F.primaryAlive || P.done;
    const before = P.computer.cpu.state.instret + B.computer.cpu.state.instret;
    if (F.primaryAlive && P.done) P.flushPending();
    if (this.partition && F.primaryAlive && P.done) F.primaryAfterPartition(this.partition);
    if (F.primaryAlive && !P.done) {
      // A partition at an instruction count bounds the run like a debugger's cap: the cut falls between two instructions.
      const cap = Math.min(caps?.primary ?? Infinity, this.partition?.instructionCap() ?? Infinity);
      const r = P.runEpoch(Math.min(this.primaryFailure.limit(this.schedule.limit), cap));
      this.partition?.afterPrimaryRun();
      if (r === 'stopped' || (r === 'budget' && this.primaryFailure.reached())) F.fail('primary');
      else if (r === 'budget' && !this.capped(P, cap)) return 'budget';
      else if (this.partition) F.primaryAfterPartition(this.partition);
      if (this.schedule.backupsRun(r)) backupMustRun = true;
      if (this.channel.full || this.partition?.isCut) backupMustRun = true;
    }
    if (this.faults.noticeReady() && this.faults.failed === 'backup') this.faults.deliver();
    if (F.backupAlive && !B.done && backupMustRun) {
      const stop = this.runBackup(caps?.backup);
      if (stop) return stop;
    }
    const done = this.finished();
    if (done) return done;
    const after = P.computer.cpu.state.instret + B.computer.cpu.state.instret;
    return this.schedule.idle(after !== before);
  }

  /** The backup executes every epoch it may; on the fault monitor's notice it takes over. */
  private runBackup(cap?: number): PairStop | undefined {
    const B = this.backup;
    for (;;) {
      const r: StepResult = B.runEpoch(Math.min(this.backupFailure.limit(this.schedule.limit), cap ?? Infinity));
      switch (r) {
        case 'epoch':
          continue;
        case 'waiting':
          if (B.role === 'backup' && this.partition) {
            const d = this.partition.backupTurn(B, this.channel.size === 0);
            if (d && !d.won) {
              this.failover.fail('backup'); // it lost the arbiter: it stops itself
              return undefined;
            }
            if (d?.won) {
              this.failover.backupWon(d.incarnation);
              continue;
            }
          }
          if (B.role === 'backup' && this.faults.noticeReady()) {
            this.faults.deliver();
            if (this.failover.askAndTakeOver()) continue;
          }
          return undefined;
        case 'stopped':
          this.failover.fail('backup');
          return undefined;
        case 'budget':
          if (!this.backupFailure.reached()) return this.capped(B, cap) ? undefined : 'budget';
          this.failover.fail('backup');
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
    return cap !== undefined && (n >= cap || m.computer.cpu.breakHit) && n < this.schedule.limit;
  }

  /**
   * Fails the primary now, between two of its instructions (the stepper's "fail the primary here"). The backup
   * executes the epochs it was told of and takes over; it then stands at the takeover boundary, not run further.
   */
  failPrimaryNow(): void {
    if (!this.failover.primaryAlive) return;
    this.primary.stop();
    this.failover.fail('primary');
    const B = this.backup;
    let r: StepResult = 'epoch';
    while (r === 'epoch' && B.role === 'backup') r = B.runEpoch(this.schedule.limit);
    if (r === 'waiting' && B.role === 'backup' && this.faults.noticeReady()) {
      this.faults.deliver();
      this.failover.askAndTakeOver();
    }
  }

  /** The run is over when the computer serving the world has stopped and a live backup has caught up with it. */
  private finished(): PairStop | undefined {
    const P = this.primary;
    const B = this.backup;
    if (P.state.divergence || B.state.divergence) return 'diverged';
    const serving = this.serving;
    const { primaryAlive, backupAlive } = this.failover;
    if (!primaryAlive && !backupAlive) return 'fault';
    if (!serving.done) return undefined;
    // A deposed primary that does not know it yet still runs: the run ends when it has stopped itself.
    if (primaryAlive && this.arbiter.holder === 'backup') return undefined;
    if (primaryAlive && backupAlive && !B.done) return undefined;
    if (primaryAlive && backupAlive) {
      if (P.state.halted?.code !== B.state.halted?.code) {
        B.markDiverged(`exit code: primary ${P.state.halted?.code}, backup ${B.state.halted?.code}`);
        return 'diverged';
      }
    }
    return serving.state.halted ? 'halt' : 'fault';
  }

  /** The monitor that serves the world now. */
  get serving(): Monitor {
    return this.failover.primaryAlive && this.arbiter.holder === 'primary' ? this.primary : this.backup;
  }

  get primaryFailed(): boolean {
    return !this.failover.primaryAlive;
  }

  get backupFailed(): boolean {
    return !this.failover.backupAlive;
  }

  get takeover(): TakeoverSummary | undefined {
    return this.failover.takeover;
  }

  /** Set when a computer fail-stops. */
  get failure(): FailureRecord | undefined {
    return this.failover.failure;
  }

  /** The result of the run as it stands, reported as `stop` (public so that a caller driving `turn()` can end the run). */
  result(stop: PairStop): PairResult {
    return pairResult(this, stop);
  }
}
