/**
 * A fault-tolerant system: the primary and backup computers, each under its monitor, the FIFO channel
 * between them, the fault monitor, and the outside world both act on. A deterministic scheduler
 * interleaves the two computers on one host thread; how far the backup lags is a seeded choice bounded
 * by the channel's capacity. Failures are injected as fail-stop points on either computer.
 */
import { Computer } from '../hw/computer.js';
import type { IoOp } from '../hw/types.js';
import { Random } from '../hw/random.js';
import type { ProgramImage } from '../../isa/image.js';
import { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import { Monitor, type MonitorFlaws, type StepResult } from '../vmm/monitor.js';
import { monitorConfig, type MonitorConfig } from '../vmm/config.js';
import { initialMonitorState } from '../vmm/state.js';
import { takeOver, type TakeoverReport } from '../vmm/failover.js';
import { World } from './world.js';
import { FaultMonitor } from './fault-monitor.js';
import { failPlanOf, type FailurePoint } from './failure-point.js';
import { deriveSeed } from './seeds.js';

export interface PairOptions {
  /** One seed from which both computers, the scheduler and the fault model derive theirs. */
  readonly seed?: number;
  readonly monitor?: Partial<MonitorConfig>;
  readonly ramMiB?: number;
  /** Largest delay D of the hardware's deferred traps. */
  readonly trapDelayMax?: number;
  /** Messages the channel holds before the primary must wait. */
  readonly channelCapacity?: number;
  /** Probability, after each primary epoch, that the backup gets a turn (1 = it follows one epoch behind). */
  readonly backupPace?: number;
  /** Instruction limit per computer (a hang becomes a clean `budget` stop). */
  readonly maxInstructions?: number;
  /** Where the primary fail-stops. */
  readonly failAt?: FailurePoint;
  /** Where the backup fail-stops instead (the primary then carries on alone). */
  readonly failBackupAt?: FailurePoint;
  /** Rule 3: whether an operation outstanding at the failed computer's devices was performed. Default: seeded. */
  readonly performOutstanding?: (op: IoOp) => boolean;
  readonly world?: World;
  readonly flaws?: MonitorFlaws;
}

export interface TakeoverSummary extends TakeoverReport {
  /** Instructions the backup executed between the primary's failure and its takeover (catching up). */
  readonly instructions: number;
  /** Virtual nanoseconds on the backup's clock over the same span. */
  readonly virtualTime: number;
  /** Operations the new primary issued again that were outstanding at the takeover. */
  reissued: number;
}

export type PairStop = 'halt' | 'fault' | 'budget' | 'diverged';

export interface PairResult {
  readonly stop: PairStop;
  readonly exitCode: number;
  /** Instructions retired by the computer that finished the run. */
  readonly instructions: number;
  readonly pc: number;
  readonly regs: number[];
  readonly console: string;
  readonly epochs: number;
  readonly messages: number;
  readonly diverged: boolean;
  readonly divergence?: { readonly epoch: number; readonly where: string };
  readonly failedOver: boolean;
  readonly failedSide?: 'primary' | 'backup';
  readonly takeover?: TakeoverSummary;
  readonly fault?: string;
}

const DEFAULTS = { seed: 1, channelCapacity: 1024, backupPace: 1, maxInstructions: 200_000_000 };

export class Pair {
  readonly world: World;
  readonly channel: FifoChannel<PrimaryToBackup>;
  readonly primary: Monitor;
  readonly backup: Monitor;
  readonly faults: FaultMonitor;
  readonly config: MonitorConfig;
  private readonly scheduler: Random;
  private readonly faultModel: Random;
  private readonly limit: number;
  private readonly pace: number;
  private primaryAlive = true;
  private backupAlive = true;
  private failedAt: { backupInstret: number; backupNow: number } | undefined;
  takeover: TakeoverSummary | undefined;
  private idleTurns = 0;
  private outstandingAtTakeover: IoOp[] = [];

  constructor(
    image: ProgramImage,
    private readonly opts: PairOptions = {},
  ) {
    const seed = opts.seed ?? DEFAULTS.seed;
    this.config = monitorConfig(opts.monitor);
    this.world = opts.world ?? new World();
    this.channel = new FifoChannel(opts.channelCapacity ?? DEFAULTS.channelCapacity);
    this.faults = new FaultMonitor(this.channel);
    this.scheduler = new Random(deriveSeed(seed, 'scheduler'));
    this.faultModel = new Random(deriveSeed(seed, 'fault-model'));
    this.limit = opts.maxInstructions ?? DEFAULTS.maxInstructions;
    this.pace = opts.backupPace ?? DEFAULTS.backupPace;
    const make = (name: 'primary' | 'backup'): Computer => {
      const c = new Computer({ seed: deriveSeed(seed, name), ramMiB: opts.ramMiB, trapDelayMax: opts.trapDelayMax, world: this.world, name });
      c.load(image);
      return c;
    };
    this.primary = new Monitor(make('primary'), this.config, initialMonitorState('primary'), { out: this.channel }, failPlanOf(opts.failAt), opts.flaws);
    this.backup = new Monitor(make('backup'), this.config, initialMonitorState('backup'), { in: this.channel }, failPlanOf(opts.failBackupAt), opts.flaws);
  }

  /** Runs both computers to the end: a halt, a guest fault, a divergence, or the instruction limit. */
  run(): PairResult {
    for (;;) {
      const stop = this.turn();
      if (stop) return this.result(stop);
    }
  }

  /** One scheduling turn: the primary runs an epoch, then maybe the backup catches up. Returns a stop when done. */
  turn(): PairStop | undefined {
    const P = this.primary;
    const B = this.backup;
    let backupMustRun = !this.primaryAlive || P.done;
    const before = P.computer.cpu.state.instret + B.computer.cpu.state.instret;
    if (this.primaryAlive && P.done) P.flushPending();
    if (this.primaryAlive && !P.done) {
      const r = P.runEpoch(this.limit);
      if (r === 'failed') this.fail('primary');
      else if (r === 'budget') return 'budget';
      if (r === 'blocked' || r !== 'epoch' || this.pace >= 1 || this.scheduler.nextU32() / 2 ** 32 < this.pace) backupMustRun = true;
      if (this.channel.full) backupMustRun = true;
    }
    if (this.faults.noticeReady() && this.faults.failed === 'backup') this.faults.deliver();
    if (this.backupAlive && !B.done && backupMustRun) {
      const stop = this.runBackup();
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
  private runBackup(): PairStop | undefined {
    const B = this.backup;
    for (;;) {
      const r: StepResult = B.runEpoch(this.limit);
      switch (r) {
        case 'epoch':
          continue;
        case 'waiting':
          if (B.role === 'backup' && this.faults.noticeReady()) {
            this.faults.deliver();
            this.doTakeover();
            continue;
          }
          return undefined;
        case 'failed':
          this.fail('backup');
          return undefined;
        case 'budget':
          return 'budget';
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

  private fail(side: 'primary' | 'backup'): void {
    const m = side === 'primary' ? this.primary : this.backup;
    if (side === 'primary') {
      this.primaryAlive = false;
      const b = this.backup.computer;
      this.failedAt = { backupInstret: b.cpu.state.instret, backupNow: b.now() };
    } else {
      this.backupAlive = false;
      this.primary.links.out = undefined; // the fault monitor tells the primary: it carries on alone
      this.primary.state.outbox.length = 0;
    }
    // Rule 3: each operation the failed computer's devices had in flight may or may not have been performed.
    const decide = this.opts.performOutstanding ?? (() => this.faultModel.nextU32() % 2 === 0);
    m.computer.devices.abandon(decide);
    this.faults.report(side);
  }

  private doTakeover(): void {
    const B = this.backup;
    this.outstandingAtTakeover = B.computer.io.outstanding();
    const report = takeOver(B);
    B.links.in = undefined;
    const at = this.failedAt!;
    const summary: TakeoverSummary = {
      ...report,
      instructions: B.computer.cpu.state.instret - at.backupInstret,
      virtualTime: Math.max(0, B.computer.now() - at.backupNow),
      reissued: 0,
    };
    this.takeover = summary;
    const pending = this.outstandingAtTakeover.slice();
    B.links.onIoStarted = (op) => {
      const i = pending.findIndex((o) => o.device === op.device && o.op === op.op && o.offset === op.offset && o.len === op.len);
      if (i >= 0) {
        pending.splice(i, 1);
        summary.reissued++;
      }
    };
  }

  /** The run is over when the computer serving the world has stopped and a live backup has caught up with it. */
  private finished(): PairStop | undefined {
    const P = this.primary;
    const B = this.backup;
    if (P.state.divergence || B.state.divergence) return 'diverged';
    const serving = this.primaryAlive ? P : B;
    if (!this.primaryAlive && !this.backupAlive) return 'fault';
    if (!serving.done) return undefined;
    if (this.primaryAlive && this.backupAlive && !B.done) return undefined;
    if (this.primaryAlive && this.backupAlive) {
      if (P.state.halted?.code !== B.state.halted?.code) {
        B.state.divergence = { epoch: B.state.epoch, where: `exit code: primary ${P.state.halted?.code}, backup ${B.state.halted?.code}` };
        return 'diverged';
      }
    }
    return serving.state.halted ? 'halt' : 'fault';
  }

  /** The monitor that serves the world now. */
  get serving(): Monitor {
    return this.primaryAlive ? this.primary : this.backup;
  }

  get primaryFailed(): boolean {
    return !this.primaryAlive;
  }

  get backupFailed(): boolean {
    return !this.backupAlive;
  }

  private result(stop: PairStop): PairResult {
    const m = this.serving;
    const st = m.computer.cpu.state;
    const divergence = this.primary.state.divergence ?? this.backup.state.divergence;
    const fault = m.state.fault;
    return {
      stop,
      exitCode: m.state.halted?.code ?? -1,
      instructions: st.instret,
      pc: st.pc >>> 0,
      regs: Array.from(st.regs),
      console: this.world.consoleText(),
      epochs: m.state.counters.epochs,
      messages: this.primary.state.counters.messagesSent,
      diverged: divergence !== undefined,
      divergence,
      failedOver: this.takeover !== undefined,
      failedSide: this.faults.failed,
      takeover: this.takeover,
      fault: fault ? `pc 0x${(fault.pc >>> 0).toString(16)} cause ${fault.cause}` : undefined,
    };
  }
}
