/**
 * The virtual machine monitor of one computer (Figures 2, 3, 5 and 6 of the patent). It drives the
 * processor through the shared run loop (`hw/engine.ts`): owns the recovery register and the epoch
 * counter, emulates sensitive instructions, buffers interrupts and traps and delivers them only at epoch
 * boundaries (or, for traps, at a privileged `drain`), so that both replicas see them at exactly the same
 * point.
 *
 * The protocol code here is the same for both replicas. Processor_Type is a policy (roles.ts): the
 * primary's (primary.ts) and the backup's (backup.ts) differ only where the patent says they do, and a
 * takeover replaces the backup's policy with the primary's (failover.ts). The monitor's state is private:
 * the outside reads it through `state` (read-only) and changes it only through the methods below.
 */
import type { Computer } from '../hw/computer.js';
import type { PrimaryToBackup, EpochEndReason } from '../channel/protocol.js';
import type { Channel } from '../channel/channel.js';
import type { SensitiveEnv } from '../cpu/sensitive.js';
import type { GuestFault } from '../cpu/types.js';
import { runEngine, type EmulatedOutcome, type EnginePolicy, type ExitBudget } from '../hw/engine.js';
import { clampToEpochCut, type MonitorConfig } from './config.js';
import type { EventKind, MonitorState } from './state.js';
import { PageHashes, digestState } from './digest.js';
import type { MonitorPolicies, RoleContext, RolePolicy, StepResult } from './roles.js';
import { PrimaryRole } from './primary.js';
import { BackupRole } from './backup.js';
import { PATENT_TAKEOVER, takeoverSteps, type TakeoverReport } from './failover.js';
import { deliverBuffered, deliverTrapsNow, flushHardwareTraps, afterGuestChange } from './delivery.js';

import type { MonitorChannels, MonitorExtras, MonitorObserver, MonitorView, TrapDeliveryPoint } from './monitor-types.js';

export type { StepResult, MonitorPolicies } from './roles.js';
export type { MonitorChannels, MonitorExtras, MonitorObserver, MonitorView, TrapDeliveryPoint } from './monitor-types.js';

export class Monitor {
  private readonly s: MonitorState;
  private readonly pages: PageHashes | undefined;
  /** Backup side of the digest check: the primary's page hashes, mirrored from its epoch-end messages. */
  private readonly peerPages: Uint32Array | undefined;
  /** Whether the computer has fail-stopped, and the channel to the backup while one listens. */
  private readonly live: { stopped: boolean; out: Channel<PrimaryToBackup> | undefined };
  private readonly observers: MonitorObserver[] = [];
  private readonly ctx: RoleContext;
  private rolePolicy: RolePolicy;
  /** The computer's exit budget (hw/engine.ts) when its runs have one: a run that uses it up stops as out of budget. */
  exitBudget: ExitBudget | undefined;

  constructor(
    readonly computer: Computer,
    readonly config: MonitorConfig,
    state: MonitorState,
    channels: MonitorChannels = {},
    private readonly policies: MonitorPolicies = {},
    extras?: MonitorExtras,
  ) {
    this.s = state;
    const live = (this.live = { stopped: extras?.stopped ?? false, out: channels.out });
    computer.cpu.state.drainPriv = config.drainPriv;
    if (config.checkDigests) {
      this.pages = new PageHashes(computer.cpu.state, extras?.pages, computer.cpu.cleared);
      if (!extras?.pages) this.pages.refresh();
      this.peerPages = extras?.peerPages ? extras.peerPages.slice() : this.pages.hashes.slice();
    }
    this.ctx = {
      computer,
      config,
      state,
      input: channels.in,
      get hasPeer() {
        return live.out !== undefined;
      },
      get stopped() {
        return live.stopped;
      },
      pages: this.pages,
      peerPages: this.peerPages,
      send: (m) => this.send(m),
      flushOutbox: () => this.flushOutbox(),
      event: (kind, detail) => this.event(kind, detail),
      ioStarted: (op) => {
        for (const o of this.observers) o.onIoStarted?.(op);
      },
      received: (m) => {
        for (const o of this.observers) o.onReceived?.(m);
      },
    };
    this.rolePolicy = this.roleFor(state.role);
  }

  private roleFor(role: MonitorState['role']): RolePolicy {
    if (role === 'primary') return (this.policies.primary ?? ((c) => new PrimaryRole(c)))(this.ctx);
    return (this.policies.backup ?? ((c) => new BackupRole(c)))(this.ctx);
  }

  /** The monitor's state, read-only. */
  get state(): MonitorView {
    return this.s;
  }

  /** A copy of the monitor's state, for snapshots. */
  stateCopy(): MonitorState {
    return structuredClone(this.s);
  }

  /** The parts of this monitor that a snapshot must carry besides its state. */
  extras(): MonitorExtras {
    return { stopped: this.live.stopped, pages: this.pages?.hashes.slice(), peerPages: this.peerPages?.slice() };
  }

  observe(o: MonitorObserver): void {
    this.observers.push(o);
  }

  get role(): 'primary' | 'backup' {
    return this.s.role;
  }

  get done(): boolean {
    return this.s.halted !== undefined || this.s.fault !== undefined || this.s.divergence !== undefined;
  }

  /** True once the computer has fail-stopped. */
  get stopped(): boolean {
    return this.live.stopped;
  }

  /** Fail-stop: from now on this computer does nothing more; what it has not sent yet is lost with it. */
  stop(): void {
    if (!this.live.stopped) for (const o of this.observers) o.onStopped?.();
    this.live.stopped = true;
  }

  /** The backup has gone: the primary carries on alone, and what it had queued for the backup is dropped. */
  detachPeer(): void {
    this.live.out = undefined;
    this.s.outbox.length = 0;
  }

  /** A group's new primary (or a primary whose backups were all lost) gets backups again: from now on it sends to `out`. */
  attachPeer(out: Channel<PrimaryToBackup>): void {
    this.live.out = out;
  }

  /**
   * A backup that did not take over follows the one that did (a group of several backups): at the same boundary it
   * applies the same steps 312-318 to its own state, with the DISCONNECTED records of the devices the new primary
   * disconnected, and drops the failed epoch's logged values (the new primary sends every value it uses again).
   */
  followTakeover(disconnected: readonly number[]): TakeoverReport {
    if (this.s.role !== 'backup') throw new Error('followTakeover: the monitor is not a backup');
    if (this.s.end !== undefined) throw new Error('followTakeover: the backup has not finished the epochs it was told of');
    const policy = this.policies.takeover ?? PATENT_TAKEOVER;
    const report = takeoverSteps(this.computer, this.s, {
      keepCompletion: (i) => policy.keepCompletion(i),
      disconnect: () => [...disconnected],
    });
    this.s.nondet.length = 0;
    return report;
  }

  /**
   * Pages written since the last call are marked (set to 1) in `into`, and forgotten here: the dirty-page
   * tracking of a state transfer's pre-copy rounds. With digests on, the digest's refreshes are counted too.
   */
  takeWrittenPages(into: Uint8Array): void {
    const dirty = this.computer.cpu.state.dirty;
    if (this.pages) {
      this.pages.takeWritten(into);
      for (let p = 0; p < dirty.length; p++) if (dirty[p] !== 0) into[p] = 1;
      return;
    }
    const cleared = this.computer.cpu.cleared;
    for (let p = 0; p < dirty.length; p++) {
      if (dirty[p] !== 0) {
        into[p] = 1;
        cleared[p] = 1;
        dirty[p] = 0;
      }
    }
  }

  /** Records a difference between the replicas found outside the monitor (e.g. their exit codes). */
  markDiverged(where: string): void {
    this.s.divergence = { epoch: this.s.epoch, where };
  }

  /** Figure 7, steps 308-318: this backup, which has executed every epoch it was told of, becomes the primary. */
  takeOver(): TakeoverReport {
    if (this.s.role !== 'backup') throw new Error('takeOver: the monitor is already the primary');
    if (this.s.end !== undefined) throw new Error('takeOver: the backup has not finished the epochs it was told of');
    this.s.role = 'primary'; // step 308
    this.rolePolicy = this.roleFor('primary');
    const report = this.watchTraps('epoch-end', () => takeoverSteps(this.computer, this.s, this.policies.takeover ?? PATENT_TAKEOVER));
    for (const o of this.observers) o.onTakeover?.(report);
    return report;
  }

  /** Runs a delivery and tells the observers of the deferred traps it handed to the guest. */
  private watchTraps<T>(at: TrapDeliveryPoint, deliver: () => T, v1 = this.s.v1, v2 = this.s.v2): T {
    const before = this.s.counters.trapsDelivered;
    const r = deliver();
    if (this.s.counters.trapsDelivered !== before) for (const o of this.observers) o.onTrapsDelivered?.(v1, v2, at);
    return r;
  }

  /** Runs the current epoch until it ends or the monitor must yield. `limit` caps the guest's instret. */
  runEpoch(limit: number): StepResult {
    if (this.done) return this.finalResult();
    const r = this.rolePolicy.ready();
    if (r !== undefined) return r;
    if (!this.flushOutbox()) return 'blocked';
    if (this.live.stopped) return 'stopped';
    const st = this.computer.cpu.state;
    if (st.rr === 0) st.rr = this.config.epochLength;
    return runEngine(this.computer.cpu, this.engine, limit, this.exitBudget);
  }

  /** The monitor as the run loop's policy. */
  private readonly engine: EnginePolicy<StepResult> = {
    env: {
      nondet: (csr) => {
        this.s.counters.nondetReads++;
        return this.rolePolicy.nondet(csr);
      },
      io: (iorbAddr) => {
        const { status, op } = this.computer.io.issue(this.computer.cpu, iorbAddr);
        if (op) this.rolePolicy.io(op);
        return status;
      },
    } satisfies SensitiveEnv,
    boundary: () => {
      // Epoch cuts (the fuzzer's schedule cases): both replicas clamp the recovery register at the same counts.
      if (this.config.epochCuts) {
        const st = this.computer.cpu.state;
        st.rr = clampToEpochCut(this.config, st.instret, st.rr);
      }
      return this.rolePolicy.boundary();
    },
    outOfBudget: () => 'budget',
    untilEvent: () => this.rolePolicy.untilEvent(),
    recoveryRegister: () => this.endEpoch('rr'),
    hardwareTraps: (v1, v2, forced) => {
      // Drain_Priv = 0 (or no protocol): the hardware hands its traps straight to the guest.
      if (forced === 'drain' || !this.config.protocol)
        this.watchTraps(forced === 'drain' ? 'drain' : 'immediate', () => deliverTrapsNow(this.computer, this.s, v1, v2, false), v1, v2);
      else {
        this.s.v1 |= v1;
        this.s.v2 |= v2;
      }
      return undefined;
    },
    exit: () => flushHardwareTraps(this.computer, this.s),
    deferSensitive: () => false,
    sensitive: (out) => this.sensitive(out),
    fault: (f) => this.guestFault(f),
    settled: () => {
      if (this.live.stopped) return 'stopped';
      return this.computer.cpu.state.rr === 0 ? this.endEpoch('rr') : undefined;
    },
  };

  private guestFault(f: GuestFault): StepResult {
    this.s.fault = f;
    return this.endEpoch('fault');
  }

  /** What an emulated sensitive instruction means to the epoch. */
  private sensitive(out: EmulatedOutcome): StepResult | undefined {
    switch (out.kind) {
      case 'done':
        afterGuestChange(this.computer, this.s);
        return undefined;
      case 'halt':
        this.s.halted = { code: out.code };
        return this.endEpoch('halt');
      case 'wfi':
        // An idle processor has nothing to count: the epoch ends here, at the same instruction on both replicas.
        this.rolePolicy.idle();
        return this.endEpoch('wfi');
      case 'drain':
        this.s.counters.drains++;
        for (const o of this.observers) o.onDrain?.(this.computer.cpu.state.instret);
        if (this.config.drainEndsEpoch) return this.endEpoch('drain');
        // Figure 6: the context switch flushed the hardware's traps (exit); deliver them with the monitor's, now.
        this.watchTraps('drain', () => deliverTrapsNow(this.computer, this.s, this.s.v1, this.s.v2, true));
        return undefined;
    }
  }

  /** Ends the epoch: flush traps, check, deliver everything buffered, tell the backup (Figure 3, step 206). */
  private endEpoch(reason: EpochEndReason): StepResult {
    const st = this.computer.cpu.state;
    flushHardwareTraps(this.computer, this.s);
    const s = this.s;
    const alone = this.config.skipDigestsAlone === true && s.role === 'primary' && this.live.out === undefined;
    const digest = this.pages && !alone ? digestState(st, this.pages, this.computer.io.digestWords()) : undefined;
    const r = this.rolePolicy.check(reason, st.instret, digest);
    if (r !== undefined) return r;
    if (reason !== 'halt' && reason !== 'fault') this.watchTraps('epoch-end', () => deliverBuffered(this.computer, s));
    this.rolePolicy.announce(reason, st.instret, digest);
    s.counters.epochs++;
    for (const o of this.observers) o.onEpochEnd?.(s.epoch, reason, st.instret);
    s.epoch++;
    st.rr = this.done ? 0 : this.config.epochLength;
    if (s.halted) return 'halted';
    if (s.fault) return 'fault';
    return this.live.stopped ? 'stopped' : 'epoch';
  }

  /** Primary: queues a message for the backup; it leaves when the channel has room. */
  private send(m: PrimaryToBackup): void {
    if (!this.live.out) return;
    this.s.outbox.push(m);
    this.flushOutbox();
  }

  /** Moves queued messages into the channel in order; false when some must still wait. */
  private flushOutbox(): boolean {
    const out = this.live.out;
    const box = this.s.outbox;
    if (!out) {
      box.length = 0;
      return true;
    }
    // A stopped computer sends nothing more: what is still queued is lost with it.
    while (box.length > 0 && !this.live.stopped) {
      if (!out.trySend(box[0]!)) return false;
      const m = box.shift()!;
      this.s.counters.messagesSent++;
      for (const o of this.observers) o.onSent?.(m);
      this.event('message-sent', m.kind);
    }
    return true;
  }

  private event(kind: EventKind, detail: string): void {
    this.s.events++;
    for (const o of this.observers) o.onEvent?.(kind, detail);
  }

  /** Primary: sends what is still queued (after the guest stopped); false while the channel is full. */
  flushPending(): boolean {
    return this.flushOutbox();
  }

  private finalResult(): StepResult {
    if (this.s.divergence) return 'diverged';
    return this.s.halted ? 'halted' : 'fault';
  }
}
