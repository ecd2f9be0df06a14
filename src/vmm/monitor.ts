/**
 * The virtual machine monitor of one computer (Figures 2, 3, 5 and 6 of the patent). It wraps the
 * processor's `run()`: owns the recovery register and the epoch counter, emulates sensitive
 * instructions, buffers interrupts and traps and delivers them only at epoch boundaries (or, for traps,
 * at a privileged `drain`), so that both replicas see them at exactly the same point.
 *
 * The same class runs as primary or backup; Processor_Type (`state.role`) decides:
 *  - primary: its hardware's interrupts are buffered and copied to the backup; nondeterministic reads
 *    are made here and logged; I/O is performed; an epoch-end message follows each epoch's delivery.
 *  - backup: ignores its own hardware's interrupts and uses the primary's; runs epoch E only after the
 *    epoch-end message for E; turns `io` into a no-op that looks to the guest as it did on the primary;
 *    processes its own traps.
 */
import type { Computer } from '../hw/computer.js';
import type { HwInterrupt, IoOp } from '../hw/types.js';
import type { PrimaryToBackup, EpochEndReason } from '../channel/protocol.js';
import type { Channel } from '../channel/channel.js';
import { clampToEpochCut, type MonitorConfig } from './config.js';
import type { EventKind, MonitorState } from './state.js';
import { executeSensitive, type SensitiveEnv } from '../cpu/sensitive.js';
import { MIP, RAM_BASE } from '../../isa/csrs.js';
import { PageHashes, compareDigests, digestState } from './digest.js';

/** Why a call to `runEpoch` returned. */
export type StepResult =
  | 'epoch' // an epoch ended; the next one has not started
  | 'blocked' // primary: the channel is full; run the backup, then call again
  | 'waiting' // backup: the epoch-end message for the current epoch has not arrived
  | 'halted' // the guest executed `halt`
  | 'fault' // the guest took a trap with no handler
  | 'failed' // the injected failure point was reached: this computer stops here
  | 'budget' // the instruction limit was reached
  | 'diverged'; // backup: its state differs from the primary's at the same boundary

/** Deliberately broken behaviours, for proving that the fuzzer's oracles bite. Never set in production. */
export interface MonitorFlaws {
  /** Failover keeps the failed epoch's I/O completions buffered (delivered at the end of epoch X+1) instead of deleting them. */
  readonly keepFailedEpochCompletions?: boolean;
  /** Failover synthesises no DISCONNECTED interrupts. */
  readonly noDisconnect?: boolean;
  /** The primary delivers each interrupt the moment its hardware raises it, mid-epoch. */
  readonly midEpochDelivery?: boolean;
}

/** Where this computer stops (fail-stop), counted on its own run. */
export interface FailPlan {
  /** Stop when this many instructions have retired (between two instructions). */
  readonly atInstret?: number;
  /** Stop right after the Nth externally visible action. */
  readonly atEvent?: number;
  /** Stop right after sending the epoch-end message of this epoch. */
  readonly afterEpochEnd?: number;
}

export interface MonitorLinks {
  /** Primary: where copies of interrupts, nondeterministic values and epoch ends go. Undefined when alone. */
  out?: Channel<PrimaryToBackup>;
  /** Backup: where they come from. */
  in?: Channel<PrimaryToBackup>;
  /** Told of every externally visible action (the fuzzer's failure-point counter, the stepper's log). */
  onEvent?: (kind: EventKind, detail: string) => void;
  /** Told of every I/O operation this monitor hands to a real device. */
  onIoStarted?: (op: IoOp) => void;
  /** Told of every message that enters the channel (observers: the stepper, tests). */
  onSent?: (m: PrimaryToBackup) => void;
  /** Told of every epoch this monitor ends, after its delivery. */
  onEpochEnd?: (epoch: number, reason: EpochEndReason, instret: number) => void;
}

/** What a monitor keeps beyond its plain state, for snapshots. */
export interface MonitorExtras {
  readonly failNow: boolean;
  readonly pages?: Uint32Array;
  readonly peerPages?: Uint32Array;
}

export class Monitor {
  readonly pages: PageHashes | undefined;
  /** Backup side of the digest check: the primary's page hashes, mirrored from its epoch-end messages. */
  readonly peerPages: Uint32Array | undefined;
  private failNow = false;

  constructor(
    readonly computer: Computer,
    readonly config: MonitorConfig,
    public state: MonitorState,
    public links: MonitorLinks = {},
    public failPlan: FailPlan = {},
    readonly flaws: MonitorFlaws = {},
    extras?: MonitorExtras,
  ) {
    computer.cpu.state.drainPriv = config.drainPriv;
    if (config.checkDigests) {
      this.pages = new PageHashes(computer.cpu.state, extras?.pages);
      if (!extras?.pages) this.pages.refresh();
      this.peerPages = extras?.peerPages ? extras.peerPages.slice() : this.pages.hashes.slice();
    }
    this.failNow = extras?.failNow ?? false;
    // A monitor restored from a snapshot taken at or after its failure point fails at once.
    if (failPlan.atEvent !== undefined && state.events >= failPlan.atEvent) this.failNow = true;
  }

  /** The parts of this monitor that a snapshot must carry besides `state`. */
  extras(): MonitorExtras {
    return { failNow: this.failNow, pages: this.pages?.hashes.slice(), peerPages: this.peerPages?.slice() };
  }

  get role(): 'primary' | 'backup' {
    return this.state.role;
  }

  get done(): boolean {
    return this.state.halted !== undefined || this.state.fault !== undefined || this.state.divergence !== undefined;
  }

  /** Runs the current epoch until it ends or the monitor must yield. `limit` caps the guest's instret. */
  runEpoch(limit: number): StepResult {
    if (this.done) return this.finalResult();
    if (this.state.role === 'backup' && !this.haveEpochEnd()) return 'waiting';
    if (!this.flushOutbox()) return 'blocked';
    if (this.failNow) return 'failed';
    const cpu = this.computer.cpu;
    const st = cpu.state;
    if (st.rr === 0) st.rr = this.config.epochLength;
    const cuts = this.config.epochCuts !== undefined;
    const primary = this.state.role === 'primary';
    for (;;) {
      if (primary) {
        this.collectHardware();
        if (this.failNow) return 'failed';
        if (this.state.outbox.length > 0 && !this.flushOutbox()) return 'blocked';
      }
      if (cuts) st.rr = clampToEpochCut(this.config, st.instret, st.rr);
      let budget = limit - st.instret;
      const failAt = this.failPlan.atInstret;
      if (failAt !== undefined && failAt - st.instret < budget) budget = failAt - st.instret;
      if (budget <= 0) {
        if (failAt !== undefined && st.instret >= failAt) return 'failed';
        return 'budget';
      }
      if (primary) {
        const untilEvent = this.computer.budgetUntil(this.computer.nextEventTime());
        if (untilEvent < budget) budget = Math.max(1, untilEvent);
      }
      const stop = cpu.run(budget);
      switch (stop.kind) {
        case 'budget':
          continue;
        case 'rr':
          return this.endEpoch('rr');
        case 'traps': {
          const t = cpu.takeHardwareTraps();
          if (stop.forced === 'drain' || !this.config.protocol) {
            // Drain_Priv = 0 (or no protocol): the hardware hands its traps straight to the guest.
            this.deliverTrapsNow(t.v1, t.v2, false);
          } else {
            this.state.v1 |= t.v1;
            this.state.v2 |= t.v2;
          }
          if (st.rr === 0) return this.endEpoch('rr');
          continue;
        }
        case 'exception': {
          this.flushHardwareTraps();
          const fault = cpu.takeException(stop.cause, stop.tval);
          if (fault) {
            this.state.fault = fault;
            return this.endEpoch('fault');
          }
          if (st.rr === 0) return this.endEpoch('rr');
          continue;
        }
        case 'sensitive': {
          this.flushHardwareTraps();
          const r = this.sensitive(stop.word);
          if (r !== undefined) return r;
          if (this.failNow) return 'failed';
          if (st.rr === 0) return this.endEpoch('rr');
          continue;
        }
      }
    }
  }

  /** Emulates one sensitive instruction; returns a StepResult when it ends the epoch or the run. */
  private sensitive(word: number): StepResult | undefined {
    const cpu = this.computer.cpu;
    const outcome = executeSensitive(cpu, word, this.env);
    switch (outcome.kind) {
      case 'done':
        this.afterGuestChange();
        return undefined;
      case 'halt':
        this.state.halted = { code: outcome.code };
        return this.endEpoch('halt');
      case 'wfi':
        // An idle processor has nothing to count: the epoch ends here, at the same instruction on both replicas.
        if (this.state.role === 'primary') this.idleUntilSomethingHappens();
        return this.endEpoch('wfi');
      case 'drain':
        this.state.counters.drains++;
        if (this.config.drainEndsEpoch) return this.endEpoch('drain');
        // Figure 6: the context switch flushed the hardware's traps (above); deliver them with the monitor's, now.
        this.deliverTrapsNow(this.state.v1, this.state.v2, true);
        return undefined;
      case 'exception': {
        const fault = cpu.takeException(outcome.cause, outcome.tval);
        if (fault) {
          this.state.fault = fault;
          return this.endEpoch('fault');
        }
        return undefined;
      }
    }
  }

  /** The hooks through which sensitive instructions reach the outside: nondeterministic values and I/O. */
  private readonly env: SensitiveEnv = {
    nondet: (csr: number): number => {
      this.state.counters.nondetReads++;
      const logged = this.state.nondet.shift();
      if (this.state.role === 'backup') {
        if (!logged || logged.csr !== csr) {
          this.state.divergence ??= {
            epoch: this.state.epoch,
            where: `nondeterministic read of CSR 0x${csr.toString(16)} has no matching value from the primary`,
          };
          return 0;
        }
        return logged.value;
      }
      if (logged && logged.csr === csr) {
        // A new primary replays the failed primary's values for the epoch it failed in, while they last.
        this.computer.clock.advanceTo(logged.now);
        return logged.value;
      }
      if (logged) this.state.nondet.length = 0;
      const value = this.computer.nondet(csr);
      const now = this.computer.now();
      this.state.lastPrimaryNow = Math.max(this.state.lastPrimaryNow, now);
      this.send({ kind: 'nondet', epoch: this.state.epoch, csr, value, now });
      return value;
    },
    io: (iorbAddr: number): number => {
      const cpu = this.computer.cpu;
      const { status, op } = this.computer.io.issue(cpu, iorbAddr);
      if (op) {
        if (this.state.role === 'primary') {
          this.computer.devices.start(op, this.computer.now());
          this.state.counters.ioIssued++;
          this.links.onIoStarted?.(op);
          this.event('io-issued', `op ${op.opId} dev ${op.device} kind ${op.op} offset ${op.offset} len ${op.len}`);
        } else {
          this.state.counters.ioNoops++;
        }
      }
      return status;
    },
  };

  /** Primary: takes the interrupts its hardware raised, buffers them and sends copies (Figure 3, step 204). */
  private collectHardware(): void {
    const due = this.computer.collectDue();
    for (const intr of due) {
      this.event('completion-received', intr.class === 'io' ? `op ${intr.opId} dev ${intr.device}` : 'timer');
      if (this.failNow) return;
      if (!this.config.protocol || this.flaws.midEpochDelivery) {
        this.deliverInterrupt(intr);
        this.afterGuestChange();
      } else {
        this.state.interrupts.push(intr);
      }
      this.send({ kind: 'interrupt', epoch: this.state.epoch, interrupt: intr });
      if (this.failNow) return;
    }
  }

  /** Primary at `wfi`: lets virtual time pass to the next hardware event, so that the epoch carries it. */
  private idleUntilSomethingHappens(): void {
    const st = this.computer.cpu.state;
    if ((st.csr.mip & st.csr.mie) !== 0 || this.state.interrupts.length > 0) return;
    const next = this.computer.nextEventTime();
    if (Number.isFinite(next)) {
      this.computer.clock.advanceTo(next);
      this.collectHardware();
    }
  }

  /** Ends the epoch: flush traps, check digests, deliver everything buffered, tell the backup (Figure 3, step 206). */
  private endEpoch(reason: EpochEndReason): StepResult {
    const st = this.computer.cpu.state;
    this.flushHardwareTraps();
    const s = this.state;
    const digest = this.pages ? digestState(st, this.pages, this.computer.io.digestWords()) : undefined;
    if (s.role === 'backup') {
      const end = s.end!;
      if (end.instret !== st.instret || end.reason !== reason) {
        s.divergence = {
          epoch: s.epoch,
          where: `epoch boundary: primary ended at instret ${end.instret} (${end.reason}), backup at ${st.instret} (${reason})`,
        };
        return 'diverged';
      }
      if (digest && end.digest && this.peerPages) {
        for (const [page, hash] of end.digest.pages) this.peerPages[page] = hash;
        const where = compareDigests(end.digest, digest, this.peerPages, this.pages!.hashes, RAM_BASE);
        if (where) {
          s.divergence = { epoch: s.epoch, where };
          return 'diverged';
        }
      }
      s.end = undefined;
    }
    if (reason !== 'halt' && reason !== 'fault') this.deliverBuffered();
    if (s.role === 'primary' && this.links.out) {
      const now = this.computer.now();
      s.lastPrimaryNow = Math.max(s.lastPrimaryNow, now);
      this.send({ kind: 'epoch-end', epoch: s.epoch, instret: st.instret, reason, now, digest });
    }
    s.counters.epochs++;
    this.links.onEpochEnd?.(s.epoch, reason, st.instret);
    s.epoch++;
    st.rr = this.done ? 0 : this.config.epochLength;
    if (s.halted) return 'halted';
    if (s.fault) return 'fault';
    return this.failNow ? 'failed' : 'epoch';
  }

  /** Delivers the epoch's buffered interrupts, then its buffered traps, then lets the guest take what it can. */
  deliverBuffered(): void {
    const s = this.state;
    const list = s.interrupts;
    s.interrupts = [];
    for (const intr of list) this.deliverInterrupt(intr);
    this.deliverTrapsNow(s.v1, s.v2, true);
    this.afterGuestChange();
  }

  private deliverInterrupt(intr: HwInterrupt): void {
    const cpu = this.computer.cpu;
    if (intr.class === 'io') this.computer.io.deliver(cpu, intr);
    else cpu.state.csr.mip |= MIP.MTIP;
    this.state.counters.interruptsDelivered++;
  }

  /** Gives the guest a set of deferred traps if it can take them now; otherwise they stay in the monitor's vectors. */
  private deliverTrapsNow(v1: number, v2: number, fromMonitor: boolean): void {
    const s = this.state;
    if (v1 === 0 && v2 === 0) return;
    const cpu = this.computer.cpu;
    if (!cpu.canTakeDeferred()) {
      s.v1 |= v1;
      s.v2 |= v2;
      return;
    }
    if (fromMonitor) {
      s.v1 = 0;
      s.v2 = 0;
    }
    const fault = cpu.deliverDeferred(v1, v2);
    s.counters.trapsDelivered++;
    if (fault) s.fault = fault;
  }

  /** Forced delivery points B and C: a context switch to the monitor flushes the hardware's buffered traps to it. */
  private flushHardwareTraps(): void {
    const t = this.computer.cpu.takeHardwareTraps();
    this.state.v1 |= t.v1;
    this.state.v2 |= t.v2;
  }

  /** After the guest's interrupt state changed at a monitor point: retry waiting records, take a pending interrupt. */
  private afterGuestChange(): void {
    const cpu = this.computer.cpu;
    this.computer.io.retry(cpu);
    const r = cpu.takePendingInterrupt();
    if (r !== undefined && typeof r === 'object') this.state.fault = r;
  }

  /** Backup: pulls messages for the current epoch from the channel until its epoch-end message is here. */
  private haveEpochEnd(): boolean {
    const s = this.state;
    while (s.end === undefined) {
      const m = this.links.in?.receive();
      if (!m) return false;
      s.counters.messagesReceived++;
      if (m.epoch !== s.epoch) {
        s.divergence = { epoch: s.epoch, where: `message for epoch ${m.epoch} arrived while executing epoch ${s.epoch}` };
        return false;
      }
      switch (m.kind) {
        case 'interrupt':
          if (this.config.protocol) s.interrupts.push(m.interrupt);
          else {
            this.deliverInterrupt(m.interrupt);
            this.afterGuestChange();
          }
          break;
        case 'nondet':
          s.nondet.push({ csr: m.csr, value: m.value, now: m.now });
          break;
        case 'epoch-end':
          s.end = m;
          s.endedThrough = m.epoch;
          s.lastPrimaryNow = Math.max(s.lastPrimaryNow, m.now);
          break;
      }
    }
    return true;
  }

  /** Primary: queues a message for the backup; it leaves when the channel has room. */
  private send(m: PrimaryToBackup): void {
    if (!this.links.out) return;
    this.state.outbox.push(m);
    this.flushOutbox();
  }

  /** Moves queued messages into the channel in order; false when some must still wait. */
  private flushOutbox(): boolean {
    const out = this.links.out;
    const box = this.state.outbox;
    if (!out) {
      box.length = 0;
      return true;
    }
    // A computer that has reached its failure point sends nothing more: what is still queued is lost with it.
    while (box.length > 0 && !this.failNow) {
      if (!out.trySend(box[0]!)) return false;
      const m = box.shift()!;
      this.state.counters.messagesSent++;
      this.links.onSent?.(m);
      this.event('message-sent', m.kind);
      if (m.kind === 'epoch-end' && m.epoch === this.failPlan.afterEpochEnd) this.failNow = true;
    }
    return true;
  }

  private event(kind: EventKind, detail: string): void {
    this.state.events++;
    this.links.onEvent?.(kind, detail);
    if (this.failPlan.atEvent !== undefined && this.state.events >= this.failPlan.atEvent) this.failNow = true;
  }

  /** Primary: sends what is still queued (after the guest stopped); false while the channel is full. */
  flushPending(): boolean {
    return this.flushOutbox();
  }

  /** True once the injected failure point has been reached. */
  get failed(): boolean {
    return this.failNow;
  }

  private finalResult(): StepResult {
    if (this.state.divergence) return 'diverged';
    return this.state.halted ? 'halted' : 'fault';
  }
}
