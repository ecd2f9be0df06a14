/**
 * Bare mode: one computer running its guest with no monitor. Interrupts and deferred traps reach the guest
 * the moment the hardware raises them (the processor's runs are sliced at the next device/timer event),
 * sensitive instructions are emulated with the computer's own values (its clock, its entropy) and its own
 * devices. So two computers with different seeds visibly run the same guest differently: this is the
 * non-determinism that a monitor must hide.
 *
 * Choices:
 *  - deferred traps the hardware delivers while the guest cannot take them (M-mode with MIE = 0) wait in
 *    `computer.bareTraps` and are delivered at the first boundary where it can (before the next instruction,
 *    a sensitive one included), before any interrupt;
 *  - wfi idles the clock to the next hardware event; with no event left and nothing pending, the guest can
 *    never wake: the run stops with stop 'budget' and `deadlock: true`.
 */
import { MIP } from '../../isa/csrs.js';
import { executeSensitive, type SensitiveEnv } from '../cpu/sensitive.js';
import type { GuestFault } from '../cpu/types.js';
import type { Computer } from './computer.js';
import type { HwInterrupt } from './types.js';

export interface BareResult {
  readonly stop: 'halt' | 'fault' | 'budget';
  /** The guest's halt code (0 unless it halted). */
  readonly exitCode: number;
  /** Instructions retired during this call. */
  readonly instructions: number;
  readonly fault?: GuestFault;
  /** The guest waits (wfi) for an interrupt that nothing can raise any more. */
  readonly deadlock?: boolean;
}

export interface BareOptions {
  readonly maxInstructions: number;
}

/** Runs `computer`'s guest until it halts, faults, deadlocks, or retires `maxInstructions` more instructions. */
export function runBare(computer: Computer, opts: BareOptions): BareResult {
  const cpu = computer.cpu;
  const s = cpu.state;
  const start = s.instret;
  const env: SensitiveEnv = {
    nondet: (csr) => computer.nondet(csr),
    io: (iorbAddr) => {
      const r = computer.io.issue(cpu, iorbAddr);
      if (r.op) computer.devices.start(r.op, computer.now());
      return r.status;
    },
  };
  const result = (stop: BareResult['stop'], extra: Partial<BareResult> = {}): BareResult => ({
    stop, exitCode: 0, instructions: s.instret - start, ...extra,
  });
  const deliver = (intr: HwInterrupt): void => {
    if (intr.class === 'io') computer.io.deliver(cpu, intr);
    else s.csr.mip = (s.csr.mip | MIP.MTIP) >>> 0;
  };
  const absorbHardwareTraps = (): void => {
    const t = cpu.takeHardwareTraps();
    computer.bareTraps.v1 = (computer.bareTraps.v1 | t.v1) >>> 0;
    computer.bareTraps.v2 = (computer.bareTraps.v2 | t.v2) >>> 0;
  };
  /** Gives the guest what it can take at this boundary; a fault when it has no handler. */
  const boundary = (): GuestFault | undefined => {
    for (const intr of computer.collectDue()) deliver(intr);
    computer.io.retry(cpu);
    const t = computer.bareTraps;
    if ((t.v1 | t.v2) !== 0 && cpu.canTakeDeferred()) {
      const f = cpu.deliverDeferred(t.v1, t.v2);
      if (f) return f;
      t.v1 = 0;
      t.v2 = 0;
    }
    const r = cpu.takePendingInterrupt();
    return typeof r === 'object' ? r : undefined;
  };

  for (;;) {
    const fault = boundary();
    if (fault) return result('fault', { fault });
    const left = opts.maxInstructions - (s.instret - start);
    if (left <= 0) return result('budget');
    const budget = Math.max(1, Math.min(left, computer.budgetUntil(computer.nextEventTime())));
    const stop = cpu.run(budget);
    switch (stop.kind) {
      case 'budget':
        break;
      case 'rr':
      case 'traps':
        absorbHardwareTraps();
        break;
      case 'exception': {
        absorbHardwareTraps();
        const f = cpu.takeException(stop.cause, stop.tval);
        if (f) return result('fault', { fault: f });
        break;
      }
      case 'sensitive': {
        absorbHardwareTraps();
        const t = computer.bareTraps;
        // Forced delivery point C: the guest takes the traps before the sensitive instruction when it can.
        if ((t.v1 | t.v2) !== 0 && cpu.canTakeDeferred()) break;
        const out = executeSensitive(cpu, stop.word, env);
        if (out.kind === 'halt') return result('halt', { exitCode: out.code });
        if (out.kind === 'exception') {
          const f = cpu.takeException(out.cause, out.tval);
          if (f) return result('fault', { fault: f });
        } else if (out.kind === 'drain') {
          absorbHardwareTraps();
        } else if (out.kind === 'wfi' && (s.csr.mip & s.csr.mie) === 0) {
          const next = computer.nextEventTime();
          if (next === Infinity) return result('budget', { deadlock: true });
          computer.clock.advanceTo(next);
        }
        break;
      }
    }
  }
}
