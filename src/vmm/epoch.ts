/**
 * The protocol inside an epoch, as the run loop's policy (hw/engine.ts): the same code on both replicas. It
 * arms the recovery register, emulates sensitive instructions, buffers the hardware's traps to the epoch's
 * end (or hands them to the guest at a privileged `drain`), and ends epochs (Figure 3, step 206), asking the
 * role (roles.ts) wherever the primary and the backup differ. The monitor (monitor.ts) owns one.
 */
import type { Computer } from '../hw/computer.js';
import type { EpochEndReason } from '../channel/protocol.js';
import type { SensitiveEnv } from '../cpu/sensitive.js';
import type { GuestFault } from '../cpu/types.js';
import { runEngine, type EmulatedOutcome, type EnginePolicy, type ExitBudget } from '../hw/engine.js';
import { clampToEpochCut, type MonitorConfig } from './config.js';
import { monitorDone, type MonitorState } from './state.js';
import { digestState, type PageHashes } from './digest.js';
import type { RolePolicy, StepResult } from './roles.js';
import { deliverBuffered, deliverTrapsNow, flushHardwareTraps, afterGuestChange } from './delivery.js';
import type { MonitorOutput } from './output.js';

export class EpochProtocol implements EnginePolicy<StepResult> {
  constructor(
    private readonly computer: Computer,
    private readonly config: MonitorConfig,
    private readonly s: MonitorState,
    private readonly output: MonitorOutput,
    private readonly pages: PageHashes | undefined,
    /** Processor_Type's policy (roles.ts); a takeover replaces it. */
    public role: RolePolicy,
  ) {}

  /** Runs the current epoch until it ends or the monitor must yield. `limit` caps the guest's instret. */
  run(limit: number, exitBudget: ExitBudget | undefined): StepResult {
    if (monitorDone(this.s)) return this.finalResult();
    const r = this.role.ready();
    if (r !== undefined) return r;
    if (!this.output.flush()) return 'blocked';
    if (this.output.stopped) return 'stopped';
    const st = this.computer.cpu.state;
    if (st.rr === 0) st.rr = this.config.epochLength;
    return runEngine(this.computer.cpu, this, limit, exitBudget);
  }

  readonly env: SensitiveEnv = {
    nondet: (csr) => {
      this.s.counters.nondetReads++;
      return this.role.nondet(csr);
    },
    io: (iorbAddr) => {
      const { status, op } = this.computer.io.issue(this.computer.cpu, iorbAddr, this.role.performsIo);
      if (op) this.role.io(op);
      return status;
    },
  };

  boundary(): StepResult | undefined {
    // Epoch cuts (the fuzzer's schedule cases): both replicas clamp the recovery register at the same counts.
    if (this.config.epochCuts) {
      const st = this.computer.cpu.state;
      st.rr = clampToEpochCut(this.config, st.instret, st.rr);
    }
    return this.role.boundary();
  }

  outOfBudget(): StepResult {
    return 'budget';
  }

  untilEvent(): number {
    return this.role.untilEvent();
  }

  recoveryRegister(): StepResult | undefined {
    return this.endEpoch('rr');
  }

  hardwareTraps(v1: number, v2: number, forced: 'delay' | 'drain'): StepResult | undefined {
    // Drain_Priv = 0 (or no protocol): the hardware hands its traps straight to the guest.
    if (forced === 'drain' || !this.config.protocol)
      this.output.watchTraps(
        forced === 'drain' ? 'drain' : 'immediate',
        () => deliverTrapsNow(this.computer, this.s, v1, v2, false),
        v1,
        v2,
      );
    else {
      this.s.v1 |= v1;
      this.s.v2 |= v2;
    }
    return undefined;
  }

  exit(): void {
    flushHardwareTraps(this.computer, this.s);
  }

  deferSensitive(): boolean {
    return false;
  }

  /** What an emulated sensitive instruction means to the epoch. */
  sensitive(out: EmulatedOutcome): StepResult | undefined {
    switch (out.kind) {
      case 'done':
        afterGuestChange(this.computer, this.s);
        return undefined;
      case 'halt':
        this.s.halted = { code: out.code };
        return this.endEpoch('halt');
      case 'wfi':
        // An idle processor has nothing to count: the epoch ends here, at the same instruction on both replicas.
        this.role.idle();
        return this.endEpoch('wfi');
      case 'drain':
        this.s.counters.drains++;
        for (const o of this.output.observers) o.onDrain?.(this.computer.cpu.state.instret);
        if (this.config.drainEndsEpoch) return this.endEpoch('drain');
        // Figure 6: the context switch flushed the hardware's traps (exit); deliver them with the monitor's, now.
        this.output.watchTraps('drain', () => deliverTrapsNow(this.computer, this.s, this.s.v1, this.s.v2, true));
        return undefined;
    }
  }

  fault(f: GuestFault): StepResult {
    this.s.fault = f;
    return this.endEpoch('fault');
  }

  settled(): StepResult | undefined {
    if (this.output.stopped) return 'stopped';
    return this.computer.cpu.state.rr === 0 ? this.endEpoch('rr') : undefined;
  }

  /** Ends the epoch: flush traps, check, deliver everything buffered, tell the backup (Figure 3, step 206). */
  private endEpoch(reason: EpochEndReason): StepResult {
    const st = this.computer.cpu.state;
    flushHardwareTraps(this.computer, this.s);
    const s = this.s;
    const digest = this.pages && this.role.takesDigests() ? digestState(st, this.pages, this.computer.io.digestWords()) : undefined;
    const r = this.role.check(reason, st.instret, digest);
    if (r !== undefined) return r;
    if (reason !== 'halt' && reason !== 'fault') {
      const { v1, v2 } = s;
      const before = s.counters.trapsDelivered;
      deliverBuffered(this.computer, s);
      this.output.trapsDelivered(before, 'epoch-end', v1, v2);
    }
    this.role.announce(reason, st.instret, digest);
    s.counters.epochs++;
    const observers = this.output.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.onEpochEnd?.(s.epoch, reason, st.instret);
    s.epoch++;
    st.rr = monitorDone(s) ? 0 : this.config.epochLength;
    if (s.halted) return 'halted';
    if (s.fault) return 'fault';
    return this.output.stopped ? 'stopped' : 'epoch';
  }

  private finalResult(): StepResult {
    if (this.s.divergence) return 'diverged';
    return this.s.halted ? 'halted' : 'fault';
  }
}
