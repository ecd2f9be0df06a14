/**
 * The backup's policy (Processor_Type = backup, Figure 3): it ignores its own hardware's interrupts and
 * uses the primary's copies; it runs epoch E only after the epoch-end message for E has arrived; its
 * nondeterministic reads take the primary's logged values; its `io` is a no-op that looks to the guest as
 * it did on the primary; at each epoch's end it checks that it stopped where the primary did.
 */
import type { EpochEndReason, StateDigest } from '../channel/protocol.js';
import { RAM_BASE } from '../../isa/csrs.js';
import type { RoleContext, RolePolicy, StepResult } from './roles.js';
import { compareDigests } from './digest.js';
import { afterGuestChange, deliverInterrupt } from './delivery.js';

export class BackupRole implements RolePolicy {
  readonly name = 'backup';
  readonly performsIo = false;

  constructor(protected readonly ctx: RoleContext) {}

  ready(): StepResult | undefined {
    return this.haveEpochEnd() ? undefined : 'waiting';
  }

  boundary(): undefined {
    return undefined;
  }

  untilEvent(): number {
    return Infinity;
  }

  nondet(csr: number): number {
    const s = this.ctx.state;
    const logged = s.nondet.shift();
    if (!logged || logged.csr !== csr) {
      s.divergence ??= {
        epoch: s.epoch,
        where: `nondeterministic read of CSR 0x${csr.toString(16)} has no matching value from the primary`,
      };
      return 0;
    }
    return logged.value;
  }

  io(): void {
    this.ctx.state.counters.ioNoops++;
  }

  idle(): void {}

  takesDigests(): boolean {
    return true;
  }

  check(reason: EpochEndReason, instret: number, digest: StateDigest | undefined): StepResult | undefined {
    const { state: s, pages, peerPages } = this.ctx;
    const end = s.end!;
    if (end.instret !== instret || end.reason !== reason) {
      s.divergence = {
        epoch: s.epoch,
        where: `epoch boundary: primary ended at instret ${end.instret} (${end.reason}), backup at ${instret} (${reason})`,
      };
      return 'diverged';
    }
    if (digest && end.digest && peerPages && pages) {
      for (const [page, hash] of end.digest.pages) peerPages[page] = hash;
      const where = compareDigests(end.digest, digest, peerPages, pages.hashes, RAM_BASE);
      if (where) {
        s.divergence = { epoch: s.epoch, where };
        return 'diverged';
      }
    }
    s.end = undefined;
    return undefined;
  }

  announce(): void {}

  /** Pulls messages for the current epoch from the channel until its epoch-end message is here. */
  private haveEpochEnd(): boolean {
    const { state: s, computer, config } = this.ctx;
    while (s.end === undefined) {
      const m = this.ctx.input?.receive();
      if (!m) return false;
      s.counters.messagesReceived++;
      this.ctx.received?.(m);
      if (m.epoch !== s.epoch) {
        s.divergence = { epoch: s.epoch, where: `message for epoch ${m.epoch} arrived while executing epoch ${s.epoch}` };
        return false;
      }
      switch (m.kind) {
        case 'interrupt':
          if (config.protocol) s.interrupts.push(m.interrupt);
          else {
            deliverInterrupt(computer, s, m.interrupt);
            afterGuestChange(computer, s);
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
}
