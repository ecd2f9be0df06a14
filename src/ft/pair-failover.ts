/**
 * A pair's failures and what follows them: a side's fail-stop (its record, Rule 3, the fault monitor's report),
 * the arbiter's question before every takeover and before the primary goes on alone (fence.ts), a partitioned
 * side's answer, and the takeover with the reissues it leads to (takeover.ts).
 */
import type { IoOp } from '../hw/types.js';
import type { World } from '../hw/world.js';
import type { Monitor } from '../vmm/monitor.js';
import { FIRST_INCARNATION, type Arbiter } from './arbiter.js';
import { abandonInFlight, failedFigures } from './fail-stop.js';
import type { FaultMonitor } from './fault-monitor.js';
import { askArbiter } from './fence.js';
import type { Partition } from './partition.js';
import { refOf, type FailureRecord, type OpRef, type PairSnapshot, type TakeoverSummary } from './pair-types.js';
import { failedAtOf, takeOver, watchReissues, type FailedAt } from './takeover.js';

/** What of a pair its failures act on. */
export interface FailoverParts {
  readonly primary: Monitor;
  readonly backup: Monitor;
  readonly world: World;
  readonly faults: FaultMonitor;
  readonly arbiter: Arbiter;
  /** Rule 3's decision for an operation in flight at a failed computer's devices. */
  readonly performs: (op: IoOp) => boolean;
}

/** The flags of a pair's snapshot that its failures hold. */
export type FailoverFlags = Omit<PairSnapshot['flags'], 'idleTurns' | 'arbiter' | 'partition'>;

export class PairFailover {
  private primaryUp = true;
  private backupUp = true;
  private failedAt: FailedAt | undefined;
  private takeoverNow: TakeoverSummary | undefined;
  private failureNow: FailureRecord | undefined;
  private pendingReissue: IoOp[] = [];
  /** Every operation the primary handed to a real device. */
  private started: OpRef[] = [];

  /** Watches the primary's operations; given `restored`, the failures are as a snapshot had them. */
  constructor(
    private readonly p: FailoverParts,
    restored?: FailoverFlags,
  ) {
    p.primary.observe({ onIoStarted: (op) => this.started.push(refOf(op)) });
    if (restored) {
      this.primaryUp = restored.primaryAlive;
      this.backupUp = restored.backupAlive;
      this.failedAt = restored.failedAt;
      this.failureNow = restored.failure;
      this.started = restored.started;
      if (restored.takeover) this.watchReissues(restored.takeover, restored.pendingReissue);
    }
  }

  get primaryAlive(): boolean {
    return this.primaryUp;
  }

  get backupAlive(): boolean {
    return this.backupUp;
  }

  get takeover(): TakeoverSummary | undefined {
    return this.takeoverNow;
  }

  /** Set when a computer fail-stops. */
  get failure(): FailureRecord | undefined {
    return this.failureNow;
  }

  /** The failures' part of a snapshot (not copied: the snapshot copies it). */
  flags(): FailoverFlags {
    return {
      primaryAlive: this.primaryUp,
      backupAlive: this.backupUp,
      failedAt: this.failedAt,
      takeover: this.takeoverNow,
      pendingReissue: this.pendingReissue,
      failure: this.failureNow,
      started: this.started,
    };
  }

  /** `side` fail-stops: its record, Rule 3 for its devices' operations in flight, and the fault monitor's report. */
  fail(side: 'primary' | 'backup'): void {
    const m = side === 'primary' ? this.p.primary : this.p.backup;
    const performed: number[] = [];
    this.failureNow = { side, ...failedFigures(m), performedOpIds: performed };
    if (side === 'primary') {
      this.primaryUp = false;
      this.failedAt = failedAtOf(this.p.backup);
    } else {
      this.backupUp = false;
      this.p.primary.detachPeer(); // the fault monitor tells the primary: it carries on alone
    }
    performed.push(...abandonInFlight(m, this.p.performs));
    this.p.faults.report(side);
    if (side === 'backup' && this.primaryUp) this.askToGoOnAlone();
  }

  /**
   * A partitioned primary after an epoch: it stops itself once deposed (a device refused it, or it halted
   * while another computer holds the arbiter); its fault monitor may now suspect the backup and ask the
   * arbiter to go on alone: it loses and stops, or wins and carries on without the backup.
   */
  primaryAfterPartition(partition: Partition): void {
    const P = this.p.primary;
    if (P.computer.devices.state.deposed || (P.done && this.p.arbiter.holder === 'backup')) {
      P.stop();
      this.fail('primary');
      return;
    }
    const d = partition.primaryTurn();
    if (!d) return;
    if (!d.won) {
      P.stop();
      this.fail('primary');
    } else {
      P.computer.devices.promote(d.incarnation);
      P.detachPeer();
    }
  }

  /** A partition's backup won the arbiter (incarnation `incarnation`): its fault monitor reports the primary, and it takes over. */
  backupWon(incarnation: number): void {
    const B = this.p.backup;
    B.computer.devices.promote(incarnation);
    this.failedAt ??= failedAtOf(B);
    this.p.faults.report('primary');
    this.p.faults.deliver();
    this.takeOver();
  }

  /** Every takeover asks the arbiter first (fence.ts; a partition's backup has asked already). False: it lost and stopped. */
  askAndTakeOver(): boolean {
    const B = this.p.backup;
    if (!askArbiter(this.p.arbiter, B, 'backup', 'takeover', B.computer.devices.state.incarnation).won) {
      this.fail('backup');
      return false;
    }
    this.takeOver();
    return true;
  }

  /** The primary, told that its backup failed, asks before it goes on alone (unless a partition made it ask already). */
  private askToGoOnAlone(): void {
    const arbiter = this.p.arbiter;
    if (arbiter.holder === 'primary' && arbiter.incarnation > FIRST_INCARNATION) return;
    const P = this.p.primary;
    if (askArbiter(arbiter, P, 'primary', 'go-on-alone', P.computer.devices.state.incarnation).won) return;
    P.stop();
    this.fail('primary');
  }

  private takeOver(): void {
    const { summary, pending } = takeOver(this.p.backup, this.p.world, this.started, this.failedAt!);
    this.takeoverNow = summary;
    this.pendingReissue = pending;
  }

  private watchReissues(summary: TakeoverSummary, pending: IoOp[]): void {
    this.takeoverNow = summary;
    this.pendingReissue = pending;
    watchReissues(this.p.backup, summary, pending);
  }
}
