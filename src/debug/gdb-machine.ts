/**
 * What the gdb stub debugs: one processor that advances one instruction at a time, and that can be copied
 * and restored exactly (the run is deterministic). Two machines implement it: a bare computer (`run --gdb`,
 * gdb-bare.ts) and one replica of a fault-tolerant pair (`pair --gdb`, gdb-pair.ts).
 */
import type { Cpu, WatchRange } from '../cpu/cpu.js';

/** Why the machine cannot go on: gdb sees `W` (halt) or a stop with a signal and this message. */
export interface MachineEnd {
  readonly status: 'halt' | 'fault' | 'budget' | 'deadlock' | 'diverged';
  /** The guest's halt code (0 unless it halted). */
  readonly exitCode: number;
  /** One line for people, e.g. `the guest halted with exit code 0`. */
  readonly message: string;
}

/** What `DebugMachine.run` did. */
export interface MachineRun {
  readonly steps: number;
  readonly end?: MachineEnd;
  readonly watch?: WatchHit;
}

/** A watchpoint's hit: its kind (2 write, 3 read, 4 access) and the first address of the access it saw. */
export interface WatchHit {
  readonly kind: 2 | 3 | 4;
  readonly addr: number;
}

/** A change gdb made, replayed at the same point when the history is re-run. */
export type MachineEdit =
  /** `thread`: the processor written (the followed one when absent). */
  | { readonly kind: 'memory'; readonly addr: number; readonly bytes: Uint8Array; readonly thread?: number }
  | { readonly kind: 'register'; readonly regno: number; readonly value: number; readonly thread?: number }
  /** gdb resumes another thread: from here the debugger follows that processor. */
  | { readonly kind: 'follow'; readonly thread: number }
  /** `monitor fail`: the primary fail-stops now (`at`: at this instruction count of the primary, once pinned). */
  | { readonly kind: 'fail'; readonly at?: number };

export interface DebugMachine<S> {
  /** The processor gdb sees now (after `monitor fail`, another one). */
  readonly cpu: Cpu;
  /** Which processor that is ('primary', 'backup'; one name for a bare computer). */
  readonly followed: string;
  /** The processors as gdb's threads, by name: thread N is `threads[N - 1]` (a pair: primary, backup). */
  readonly threads: readonly string[];
  /** The thread number of the followed processor. */
  readonly followedThread: number;
  /** Thread N's processor; undefined when there is none. */
  cpuOf(thread: number): Cpu | undefined;
  /** A line about thread N for `info threads` (its role and status). */
  describeThread(thread: number): string;
  /** Executes one instruction of that processor; the end when there is none to execute. */
  step(): MachineEnd | undefined;
  /**
   * Executes up to `max` instructions of that processor at the engine's speed, stopping before one at an
   * address in `breakpoints` (never before the first) and after a load or store that one of `watches` sees;
   * how many it executed, the watchpoint hit, and the end when it cannot go on.
   */
  run(max: number, breakpoints: ReadonlySet<number>, watches?: readonly WatchRange[]): MachineRun;
  snapshot(): S;
  restore(snap: S): void;
  /** Runs to the end at full speed, without stepping (after gdb detaches). */
  finish(): MachineEnd;
  /** Why `e` cannot be applied now, or undefined when it can. */
  vet(e: MachineEdit): string | undefined;
  /** The edit with what `edit` would take from the state now made explicit, so that a re-run repeats it exactly. */
  pin?(e: MachineEdit): MachineEdit;
  /** Applies an edit; returns an error message when it cannot. */
  edit(e: MachineEdit): string | undefined;
  /** Answers a `monitor` command this machine knows (epoch, rr, channel, other), or undefined when unknown. */
  monitor(command: string): string | undefined;
}
