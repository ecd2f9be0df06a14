/**
 * The one run loop of a computer. Bare mode (bare.ts), the primary's monitor and the backup's monitor all
 * drive the processor through it; what differs between them is a policy (`EnginePolicy`): what happens
 * at each instruction boundary where the processor is stopped (interrupts), how far the processor may
 * run before the next hardware event, what a sensitive instruction reaches (its `SensitiveEnv`), where
 * an epoch ends, and where deferred traps go when the hardware delivers them.
 *
 * The loop itself owns the order of things, which is the same for every policy: a boundary, a slice of
 * instructions, then the reason the slice stopped, then the policy's check of where that left it.
 */
import { executeSensitive, type SensitiveEnv, type SensitiveOutcome } from '../cpu/sensitive.js';
import type { Cpu } from '../cpu/cpu.js';
import type { GuestFault } from '../cpu/types.js';

/** A sensitive instruction's outcome other than an exception (the loop reflects exceptions itself). */
export type EmulatedOutcome = Exclude<SensitiveOutcome, { kind: 'exception' }>;

/** What a driver of the loop decides. `R` is its result type; `undefined` from a hook means "go on". */
export interface EnginePolicy<R> {
  /** The hooks through which sensitive instructions reach the outside: nondeterministic values and I/O. */
  readonly env: SensitiveEnv;
  /** At the boundary before each slice: take what the hardware raised (deliver it or buffer it). */
  boundary(): R | undefined;
  /** The instruction limit was reached. */
  outOfBudget(): R;
  /** Instructions until the next hardware event that this policy must see at a boundary (Infinity: none). */
  untilEvent(): number;
  /** The recovery register reached zero after the last instruction. */
  recoveryRegister(): R | undefined;
  /** The trap unit delivered its pending traps (its delay elapsed, or a `drain` ran with Drain_Priv = 0). */
  hardwareTraps(v1: number, v2: number, forced: 'delay' | 'drain'): R | undefined;
  /** The processor exited to its driver (an exception or a sensitive instruction): forced delivery points B and C. */
  exit(): void;
  /** True to take the exit's delivery at a boundary before emulating the sensitive instruction. */
  deferSensitive(): boolean;
  /** A sensitive instruction was emulated. */
  sensitive(outcome: EmulatedOutcome): R | undefined;
  /** The guest took a trap it has no handler for. */
  fault(f: GuestFault): R;
  /** After an exit or a trap delivery that did not end the run: where that left the computer. */
  settled(): R | undefined;
}

/**
 * A budget of exits: the times the processor stops for an exception or a sensitive instruction (I/O, a
 * clock read, halt...). One object is shared by every call that runs one computer. An exit costs the host
 * far more than an instruction, so a guest that exits at every instruction (a trap handler that traps, an
 * I/O flood) is bounded by this budget long before its instruction budget.
 */
export interface ExitBudget {
  readonly limit: number;
  /** Exits taken; the run stops as out of budget at the first boundary where this reaches the limit. */
  used: number;
}

/**
 * Runs `cpu` under `policy` until a hook returns a result; `limit` caps the guest's instret, and `exits`
 * (when given) the exits it takes.
 */
export function runEngine<R>(cpu: Cpu, policy: EnginePolicy<R>, limit: number, exits?: ExitBudget): R {
  const st = cpu.state;
  for (;;) {
    let r = policy.boundary();
    if (r !== undefined) return r;
    let budget = limit - st.instret;
    if (budget <= 0 || (exits !== undefined && exits.used >= exits.limit)) return policy.outOfBudget();
    const untilEvent = policy.untilEvent();
    if (untilEvent < budget) budget = Math.max(1, untilEvent);
    const stop = cpu.run(budget);
    switch (stop.kind) {
      case 'budget':
        continue;
      case 'break':
        // A debugger's breakpoint ends the run as a cap on instret would (the caller tells the two apart).
        return policy.outOfBudget();
      case 'rr':
        r = policy.recoveryRegister();
        break;
      case 'traps': {
        const t = cpu.takeHardwareTraps();
        r = policy.hardwareTraps(t.v1, t.v2, stop.forced);
        break;
      }
      case 'exception': {
        if (exits) exits.used++;
        policy.exit();
        const f = cpu.takeException(stop.cause, stop.tval);
        if (f) return policy.fault(f);
        break;
      }
      case 'sensitive': {
        if (exits) exits.used++;
        policy.exit();
        if (policy.deferSensitive()) continue;
        const out = executeSensitive(cpu, stop.word, policy.env);
        if (out.kind === 'exception') {
          const f = cpu.takeException(out.cause, out.tval);
          if (f) return policy.fault(f);
        } else {
          r = policy.sensitive(out);
        }
        break;
      }
    }
    if (r !== undefined) return r;
    r = policy.settled();
    if (r !== undefined) return r;
  }
}
