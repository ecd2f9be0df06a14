/**
 * The primary's policy (Processor_Type = primary, Figure 3): its hardware's interrupts are buffered to the
 * epoch's end and copied to the backup; nondeterministic values are read here and logged; I/O is
 * performed; an epoch-end message follows each epoch's delivery.
 */
import type { HwInterrupt, IoOp } from '../hw/types.js';
import type { EpochEndReason, StateDigest } from '../channel/protocol.js';
import type { RoleContext, RolePolicy, StepResult } from './roles.js';
import { afterGuestChange, deliverInterrupt } from './delivery.js';

export class PrimaryRole implements RolePolicy {
  readonly name = 'primary';
  readonly performsIo = true;

  constructor(protected readonly ctx: RoleContext) {}

  ready(): undefined {
    return undefined;
  }

  boundary(): StepResult | undefined {
    this.collectHardware();
    if (this.ctx.stopped) return 'stopped';
    if (this.ctx.state.outbox.length > 0 && !this.ctx.flushOutbox()) return 'blocked';
    return undefined;
  }

  untilEvent(): number {
    const c = this.ctx.computer;
    return c.budgetUntil(c.nextEventTime());
  }

  nondet(csr: number): number {
    const { state: s, computer } = this.ctx;
    const logged = s.nondet.shift();
    if (logged && logged.csr === csr) {
      // A new primary replays the failed primary's values for the epoch it failed in, while they last.
      computer.clock.advanceTo(logged.now);
      // Other backups of a group dropped the failed primary's values at the takeover: they get them again from here.
      this.ctx.send({ kind: 'nondet', epoch: s.epoch, csr, value: logged.value, now: logged.now });
      return logged.value;
    }
    if (logged) s.nondet.length = 0;
    const value = computer.nondet(csr);
    const now = computer.now();
    s.lastPrimaryNow = Math.max(s.lastPrimaryNow, now);
    this.ctx.send({ kind: 'nondet', epoch: s.epoch, csr, value, now });
    return value;
  }

  io(op: IoOp): void {
    this.ctx.computer.devices.start(op, this.ctx.computer.now());
    this.ctx.state.counters.ioIssued++;
    this.ctx.ioStarted(op);
    this.ctx.event('io-issued', () => `op ${op.opId} dev ${op.device} kind ${op.op} offset ${op.offset} len ${op.len}`);
  }

  /** At `wfi`: lets virtual time pass to the next hardware event, so that the epoch carries it. */
  idle(): void {
    const { computer, state } = this.ctx;
    const st = computer.cpu.state;
    if ((st.csr.mip & st.csr.mie) !== 0 || state.interrupts.length > 0) return;
    const next = computer.nextEventTime();
    if (Number.isFinite(next)) {
      computer.clock.advanceTo(next);
      this.collectHardware();
    }
  }

  /** A primary with no backup listening skips the digests nothing would compare, when the configuration says so. */
  takesDigests(): boolean {
    return this.ctx.config.skipDigestsAlone !== true || this.ctx.hasPeer;
  }

  check(): undefined {
    return undefined;
  }

  announce(reason: EpochEndReason, instret: number, digest: StateDigest | undefined): void {
    if (!this.ctx.hasPeer) return;
    const s = this.ctx.state;
    const now = this.ctx.computer.now();
    s.lastPrimaryNow = Math.max(s.lastPrimaryNow, now);
    this.ctx.send({ kind: 'epoch-end', epoch: s.epoch, instret, reason, now, digest });
  }

  /** Takes the interrupts the hardware raised, buffers them and sends copies (Figure 3, step 204). */
  protected collectHardware(): void {
    const ctx = this.ctx;
    const due = ctx.computer.collectDue();
    for (let i = 0; i < due.length; i++) {
      const intr = due[i]!;
      ctx.event('completion-received', () => (intr.class === 'io' ? `op ${intr.opId} dev ${intr.device}` : 'timer'));
      if (ctx.stopped) return;
      this.take(intr);
      ctx.send({ kind: 'interrupt', epoch: ctx.state.epoch, interrupt: intr });
      if (ctx.stopped) return;
    }
  }

  /** Where an interrupt goes: buffered to the epoch's end, or (the protocol turned off) to the guest at once. */
  protected take(intr: HwInterrupt): void {
    if (this.ctx.config.protocol) this.ctx.state.interrupts.push(intr);
    else this.deliverNow(intr);
  }

  protected deliverNow(intr: HwInterrupt): void {
    deliverInterrupt(this.ctx.computer, this.ctx.state, intr);
    afterGuestChange(this.ctx.computer, this.ctx.state);
  }
}
