/**
 * The virtual machine monitor of one computer (Figures 2, 3, 5 and 6 of the patent). It drives the
 * processor through the shared run loop (`hw/engine.ts`): owns the recovery register and the epoch
 * counter, emulates sensitive instructions, buffers interrupts and traps and delivers them only at epoch
 * boundaries (or, for traps, at a privileged `drain`), so that both replicas see them at exactly the same
 * point. That protocol, the run loop's policy, is epoch.ts; what leaves the monitor (messages to the
 * backup, events, observers) is output.ts.
 *
 * The protocol code is the same for both replicas. Processor_Type is a policy (roles.ts): the
 * primary's (primary.ts) and the backup's (backup.ts) differ only where the patent says they do, and a
 * takeover replaces the backup's policy with the primary's (failover.ts). The monitor's state is private:
 * the outside reads it through `state` (read-only) and changes it only through the methods below.
 */
import type { Computer } from '../hw/computer.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import type { Channel } from '../channel/channel.js';
import type { ExitBudget } from '../hw/engine.js';
import type { MonitorConfig } from './config.js';
import { monitorDone, type MonitorState } from './state.js';
import { PageHashes } from './digest.js';
import type { MonitorPolicies, RoleContext, RolePolicy, StepResult } from './roles.js';
import { PrimaryRole } from './primary.js';
import { BackupRole } from './backup.js';
import { PATENT_TAKEOVER, takeoverSteps, type TakeoverReport } from './failover.js';
import { MonitorOutput } from './output.js';
import { EpochProtocol } from './epoch.js';

import type { MonitorChannels, MonitorExtras, MonitorObserver, MonitorView } from './monitor-types.js';

export type { StepResult, MonitorPolicies } from './roles.js';
export type { MonitorChannels, MonitorExtras, MonitorObserver, MonitorView, TrapDeliveryPoint } from './monitor-types.js';

export class Monitor {
  private readonly s: MonitorState;
  private readonly pages: PageHashes | undefined;
  /** Backup side of the digest check: the primary's page hashes, mirrored from its epoch-end messages. */
  private readonly peerPages: Uint32Array | undefined;
  /** What leaves the monitor: its messages, events and observers, and whether the computer has fail-stopped. */
  private readonly output: MonitorOutput;
  private readonly ctx: RoleContext;
  /** The protocol inside an epoch, with the current role's policy. */
  private readonly epochs: EpochProtocol;
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
    const output = (this.output = new MonitorOutput(state, extras?.stopped ?? false, channels.out));
    computer.cpu.state.drainPriv = config.drainPriv;
    if (config.checkDigests) {
      this.pages = new PageHashes(computer.cpu.state, extras?.pages, computer.cpu.cleared, computer.cpu.writtenPages());
      if (!extras?.pages) this.pages.refresh();
      this.peerPages = extras?.peerPages ? extras.peerPages.slice() : this.pages.hashes.slice();
    }
    this.ctx = {
      computer,
      config,
      state,
      input: channels.in,
      get hasPeer() {
        return output.out !== undefined;
      },
      get stopped() {
        return output.stopped;
      },
      pages: this.pages,
      peerPages: this.peerPages,
      send: (m) => output.send(m),
      flushOutbox: () => output.flush(),
      event: (kind, detail) => output.event(kind, detail),
      ioStarted: (op) => {
        const observers = output.observers;
        for (let i = 0; i < observers.length; i++) observers[i]!.onIoStarted?.(op);
      },
      received: (m) => {
        const observers = output.observers;
        for (let i = 0; i < observers.length; i++) observers[i]!.onReceived?.(m);
      },
    };
    this.epochs = new EpochProtocol(computer, config, state, output, this.pages, this.roleFor(state.role));
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
    return { stopped: this.output.stopped, pages: this.pages?.hashes.slice(), peerPages: this.peerPages?.slice() };
  }

  observe(o: MonitorObserver): void {
    this.output.observers.push(o);
  }

  get role(): 'primary' | 'backup' {
    return this.s.role;
  }

  get done(): boolean {
    return monitorDone(this.s);
  }

  /** True once the computer has fail-stopped. */
  get stopped(): boolean {
    return this.output.stopped;
  }

  /** Fail-stop: from now on this computer does nothing more; what it has not sent yet is lost with it. */
  stop(): void {
    if (!this.output.stopped) for (const o of this.output.observers) o.onStopped?.();
    this.output.stopped = true;
  }

  /** The backup has gone: the primary carries on alone, and what it had queued for the backup is dropped. */
  detachPeer(): void {
    this.output.out = undefined;
    this.s.outbox.length = 0;
  }

  /** A group's new primary (or a primary whose backups were all lost) gets backups again: from now on it sends to `out`. */
  attachPeer(out: Channel<PrimaryToBackup>): void {
    this.output.out = out;
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
    this.epochs.role = this.roleFor('primary');
    const report = this.output.watchTraps('epoch-end', () =>
      takeoverSteps(this.computer, this.s, this.policies.takeover ?? PATENT_TAKEOVER),
    );
    for (const o of this.output.observers) o.onTakeover?.(report);
    return report;
  }

  /** Runs the current epoch until it ends or the monitor must yield. `limit` caps the guest's instret. */
  runEpoch(limit: number): StepResult {
    return this.epochs.run(limit, this.exitBudget);
  }

  /** Primary: sends what is still queued (after the guest stopped); false while the channel is full. */
  flushPending(): boolean {
    return this.output.flush();
  }
}
