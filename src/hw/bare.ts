/**
 * Bare mode: one computer running its guest with no monitor. Interrupts and deferred traps reach the guest
 * the moment the hardware raises them (the processor's runs are sliced at the next device/timer event),
 * sensitive instructions are emulated with the computer's own values (its clock, its entropy) and its own
 * devices. So two computers with different seeds visibly run the same guest differently: this is the
 * non-determinism that a monitor must hide.
 *
 * Choices:
 *  - deferred traps the hardware delivers while the guest cannot take them (M-mode with MIE = 0) wait in
 *    the bare machine (`BareMachine.held`, not in the computer) and are delivered at the first boundary where it can (before the next instruction,
 *    a sensitive one included), before any interrupt;
 *  - wfi idles the clock to the next hardware event; with no event left and nothing pending, the guest can
 *    never wake: the run stops with stop 'budget' and `deadlock: true`.
 */
import { MIP } from '../../isa/csrs.js';
import type { SensitiveEnv } from '../cpu/sensitive.js';
import type { GuestFault } from '../cpu/types.js';
import type { Computer } from './computer.js';
import { runEngine, type EmulatedOutcome, type EnginePolicy, type ExitBudget } from './engine.js';

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
  /** The computer's exit budget (engine.ts), shared by its runs; none when undefined. */
  readonly exits?: ExitBudget;
}

/** Deferred traps the hardware delivered that the guest could not take yet. */
export interface HeldTraps {
  v1: number;
  v2: number;
}

/** A computer run with no monitor, with the traps it holds for its guest: run it again and it goes on. */
export class BareMachine {
  readonly held: HeldTraps;

  constructor(
    readonly computer: Computer,
    held: Readonly<HeldTraps> = { v1: 0, v2: 0 },
  ) {
    this.held = { v1: held.v1, v2: held.v2 };
  }

  /** Runs the guest until it halts, faults, deadlocks, or retires `maxInstructions` more instructions. */
  run(opts: BareOptions): BareResult {
    const start = this.computer.cpu.state.instret;
    return runEngine(this.computer.cpu, new BarePolicy(this.computer, this.held, start), start + opts.maxInstructions, opts.exits);
  }
}

/**
 * Runs a guest with no monitor. Given a computer, the run starts with no traps held and any it ends with
 * are dropped; a `BareMachine` keeps them from one run to the next.
 */
export function runBare(target: Computer | BareMachine, opts: BareOptions): BareResult {
  return (target instanceof BareMachine ? target : new BareMachine(target)).run(opts);
}

/** No monitor: everything the hardware raises reaches the guest at the next boundary where it can take it. */
class BarePolicy implements EnginePolicy<BareResult> {
  constructor(
    private readonly computer: Computer,
    private readonly held: HeldTraps,
    private readonly start: number,
  ) {}

  readonly env: SensitiveEnv = {
    nondet: (csr) => this.computer.nondet(csr),
    io: (iorbAddr) => {
      const r = this.computer.io.issue(this.computer.cpu, iorbAddr);
      if (r.op) this.computer.devices.start(r.op, this.computer.now());
      return r.status;
    },
  };

  private result(stop: BareResult['stop'], extra: Partial<BareResult> = {}): BareResult {
    return { stop, exitCode: 0, instructions: this.computer.cpu.state.instret - this.start, ...extra };
  }

  /** Gives the guest what it can take at this boundary: interrupts due, waiting records, held traps, a pending interrupt. */
  boundary(): BareResult | undefined {
    const { computer } = this;
    const cpu = computer.cpu;
    const due = computer.collectDue();
    for (let i = 0; i < due.length; i++) {
      const intr = due[i]!;
      if (intr.class === 'io') computer.io.deliver(cpu, intr);
      else cpu.state.csr.mip = (cpu.state.csr.mip | MIP.MTIP) >>> 0;
    }
    computer.io.retry(cpu);
    const t = this.held;
    if ((t.v1 | t.v2) !== 0 && cpu.canTakeDeferred()) {
      const f = cpu.deliverDeferred(t.v1, t.v2);
      if (f) return this.fault(f);
      computer.bareObserver?.onDeferred?.(t.v1, t.v2);
      t.v1 = 0;
      t.v2 = 0;
    }
    const r = cpu.takePendingInterrupt();
    return typeof r === 'object' ? this.fault(r) : undefined;
  }

  outOfBudget(): BareResult {
    return this.result('budget');
  }

  untilEvent(): number {
    return this.computer.budgetUntil(this.computer.nextEventTime());
  }

  /** Never armed in bare mode; like a trap delivery it hands the hardware's traps over. */
  recoveryRegister(): undefined {
    this.exit();
    return undefined;
  }

  hardwareTraps(v1: number, v2: number, forced: 'delay' | 'drain'): undefined {
    if (forced === 'drain') this.computer.bareObserver?.onDrain?.();
    this.hold(v1, v2);
    return undefined;
  }

  exit(): void {
    const t = this.computer.cpu.takeHardwareTraps();
    this.hold(t.v1, t.v2);
  }

  /** Forced delivery point C: the guest takes held traps before the sensitive instruction when it can. */
  deferSensitive(): boolean {
    const t = this.held;
    return (t.v1 | t.v2) !== 0 && this.computer.cpu.canTakeDeferred();
  }

  sensitive(out: EmulatedOutcome): BareResult | undefined {
    const { computer } = this;
    const s = computer.cpu.state;
    if (out.kind === 'halt') return this.result('halt', { exitCode: out.code });
    if (out.kind === 'drain') {
      computer.bareObserver?.onDrain?.();
      this.exit();
    } else if (out.kind === 'wfi' && (s.csr.mip & s.csr.mie) === 0) {
      const next = computer.nextEventTime();
      if (next === Infinity) return this.result('budget', { deadlock: true });
      computer.clock.advanceTo(next);
    }
    return undefined;
  }

  fault(fault: GuestFault): BareResult {
    return this.result('fault', { fault });
  }

  settled(): undefined {
    return undefined;
  }

  private hold(v1: number, v2: number): void {
    const t = this.held;
    t.v1 = (t.v1 | v1) >>> 0;
    t.v2 = (t.v2 | v2) >>> 0;
  }
}
