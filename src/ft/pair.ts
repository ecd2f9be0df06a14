/**
 * A fault-tolerant system: the primary and backup computers, each under its monitor, the FIFO channel
 * between them, the fault monitor, and the outside world both act on. A deterministic scheduler
 * interleaves the two computers on one host thread; how far the backup lags is a seeded choice bounded
 * by the channel's capacity. Failures are injected as fail-stop points on either computer.
 */
import { DEFAULTS } from '../base/defaults.js';
import { Computer, type ComputerSnapshot } from '../hw/computer.js';
import type { IoOp } from '../hw/types.js';
import { Random } from '../base/random.js';
import type { ProgramImage } from '../../isa/image.js';
import { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import { Monitor, type MonitorExtras, type MonitorFlaws, type MonitorLinks, type StepResult } from '../vmm/monitor.js';
import { monitorConfig, type MonitorConfig } from '../vmm/config.js';
import { initialMonitorState, type MonitorState } from '../vmm/state.js';
import { takeOver, type TakeoverReport } from '../vmm/failover.js';
import { World, type WorldSnapshot } from '../hw/world.js';
import { FaultMonitor } from './fault-monitor.js';
import { failPlanOf, type FailurePoint } from './failure-point.js';
import { deriveSeed } from '../base/seeds.js';

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
  /** Effects the world had recorded when the backup took over (all earlier ones are the old primary's). */
  readonly worldEffectsBefore: number;
  /** Operations the old primary started whose COMPLETED record the new primary's guest never received:
   *  the only ones the world may see twice. */
  readonly unknownOutcome: readonly OpRef[];
  /** Operation ids below this one were issued by the guest in an epoch the backup executed before taking over. */
  readonly issuedBeforeTakeover?: number;
}

/** An I/O operation without its data, for reports. */
export interface OpRef {
  readonly opId: number;
  readonly device: number;
  readonly op: number;
  readonly offset: number;
  readonly len: number;
}

const refOf = (o: IoOp): OpRef => ({ opId: o.opId, device: o.device, op: o.op, offset: o.offset, len: o.len });

/** What a failed computer left behind, for the oracles. */
export interface FailureRecord {
  readonly side: 'primary' | 'backup';
  readonly instret: number;
  readonly events: number;
  readonly epoch: number;
  /** Operations the failed computer's guest had issued without a delivered COMPLETED record. */
  readonly outstanding: readonly IoOp[];
  /** Operations in flight at its devices, to which Rule 3 applies (performed or not). */
  readonly inFlight: number;
  /** Their operation ids (the fuzzer's window coverage). */
  readonly inFlightOpIds?: readonly number[];
}

export type PairStop = 'halt' | 'fault' | 'budget' | 'diverged';

interface SideSnapshot {
  readonly computer: ComputerSnapshot;
  readonly monitor: MonitorState;
  readonly extras: MonitorExtras;
}

/** Everything a pair is, copied: restoring it and running on gives the same run, bit for bit. */
export interface PairSnapshot {
  readonly primary: SideSnapshot;
  readonly backup: SideSnapshot;
  readonly channel: FifoChannel<PrimaryToBackup>;
  readonly world: WorldSnapshot;
  readonly faults: { failed: 'primary' | 'backup' | undefined; notified: boolean };
  readonly scheduler: Uint32Array;
  readonly faultModel: Uint32Array;
  readonly flags: {
    primaryAlive: boolean;
    backupAlive: boolean;
    failedAt: { backupInstret: number; backupNow: number } | undefined;
    takeover: TakeoverSummary | undefined;
    pendingReissue: IoOp[];
    idleTurns: number;
    failure: FailureRecord | undefined;
    started: OpRef[];
  };
}

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
  /** Set when a computer fail-stops. */
  failure: FailureRecord | undefined;
  private idleTurns = 0;
  private outstandingAtTakeover: IoOp[] = [];
  private pendingReissue: IoOp[] = [];
  /** Every operation the primary handed to a real device. */
  private started: OpRef[] = [];

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
      const c = new Computer({ seed: deriveSeed(seed, name), ramMiB: opts.ramMiB, trapDelayMax: opts.trapDelayMax, world: this.world, name });
      c.load(image);
      return c;
    };
    const monitorOf = (name: 'primary' | 'backup', links: MonitorLinks, plan: FailurePoint | undefined): Monitor =>
      new Monitor(
        make(name),
        this.config,
        snap ? structuredClone(snap[name].monitor) : initialMonitorState(name),
        links,
        failPlanOf(plan),
        opts.flaws,
        snap?.[name].extras,
      );
    this.primary = monitorOf('primary', { out: this.channel, onIoStarted: (op) => this.started.push(refOf(op)) }, opts.failAt);
    this.backup = monitorOf('backup', { in: this.channel }, opts.failBackupAt);
    if (snap) {
      const f = structuredClone(snap.flags);
      this.primaryAlive = f.primaryAlive;
      this.backupAlive = f.backupAlive;
      this.failedAt = f.failedAt;
      this.idleTurns = f.idleTurns;
      this.failure = f.failure;
      this.started = f.started;
      if (!f.backupAlive) this.primary.links.out = undefined;
      if (this.backup.role === 'primary') this.backup.links.in = undefined;
      if (f.takeover) this.watchReissues(f.takeover, f.pendingReissue);
    }
  }

  /** A copy of the whole pair now (between turns). */
  snapshot(): PairSnapshot {
    const side = (m: Monitor): SideSnapshot => ({
      computer: m.computer.snapshot(),
      monitor: structuredClone(m.state),
      extras: m.extras(),
    });
    return {
      primary: side(this.primary),
      backup: side(this.backup),
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
    const st = m.computer.cpu.state;
    this.failure = { side, instret: st.instret, events: m.state.events, epoch: m.state.epoch, outstanding: m.computer.io.outstanding(), inFlight: m.computer.devices.inFlight().length, inFlightOpIds: m.computer.devices.inFlight().map((o) => o.opId) };
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
    const io = B.computer.io.state;
    const unknownOutcome = this.started.filter((o) => o.opId >= io.nextOpId || io.outstanding.some((x) => x.opId === o.opId));
    const report = takeOver(B);
    B.links.in = undefined;
    const at = this.failedAt!;
    const summary: TakeoverSummary = {
      ...report,
      instructions: B.computer.cpu.state.instret - at.backupInstret,
      virtualTime: Math.max(0, B.computer.now() - at.backupNow),
      reissued: 0,
      worldEffectsBefore: this.world.effects.length,
      unknownOutcome,
      issuedBeforeTakeover: io.nextOpId,
    };
    this.watchReissues(summary, this.outstandingAtTakeover.slice());
  }

  /** Counts the new primary's operations that reissue one outstanding at the takeover. */
  private watchReissues(summary: TakeoverSummary, pending: IoOp[]): void {
    this.takeover = summary;
    this.pendingReissue = pending;
    this.backup.links.onIoStarted = (op) => {
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
