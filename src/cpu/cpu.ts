/**
 * One virtual processor: its plain state (src/cpu/types.ts) plus derived views over RAM, the run loop
 * (src/cpu/interp.ts), and the hooks a caller uses between runs: reflecting exceptions, interrupts and
 * deferred traps into the guest, taking the trap unit's buffer (traps.ts), and device access to RAM
 * (ram-access.ts). Loading a program is load.ts, a debugger's breakpoints breakpoints.ts; this class keeps
 * the choice of engine and the run itself.
 *
 * The processor decides nothing about delivery: `run` stops, the caller (bare mode or a monitor) acts.
 */
import type { ProgramImage } from '../../isa/image.js';
import { ramViews, STOP_BUDGET, type RamViews } from './loop-env.js';
import { runSlice, specialise, type BreakSet, type LoopFn, type SpecialisedLoop } from './interp.js';
import { BlockEngine } from './blocks.js';
import { armBreakSet, type WatchRange } from './breakpoints.js';
import { loadImage } from './load.js';
import { ramOffset, readBytes, readWord, writeBytes, writeWord, type ViewsNow } from './ram-access.js';
import { checkCpuState, createCpuState, type CpuOptions } from './state.js';
import { canTakeDeferred, deliverDeferred, enterTrap, takeHardwareTraps, takePendingInterrupt } from './traps.js';
import type { CpuState, GuestFault, Stop } from './types.js';

export type { WatchRange } from './breakpoints.js';

/** Largest slice the loop runs at once (keeps its counters small integers). */
const SLICE_MAX = 1 << 30;

/** How a processor executes: the interpreter alone, or translated blocks (blocks.ts) once it has run `translateAfter`. */
export type Engine = 'interp' | 'blocks';

export class Cpu {
  /** The engine new processors use. */
  static defaultEngine: Engine = 'blocks';
  /**
   * Instructions a processor interprets before it translates: short runs (a fuzzer's cases) never pay for
   * translating, long ones repay it many times over.
   */
  static defaultTranslateAfter = 1_000_000;

  /**
   * Instructions a processor runs on the shared loop before it gets its own compiled copy (specialise.ts).
   * A new copy runs ~9M instructions slowly while V8 optimises it, then ~1.5x faster than the shared loop:
   * it pays for itself some 50M instructions later, so only long runs switch.
   */
  static defaultSpecialiseAfter = 50_000_000;

  /** This processor's threshold (0: specialise at once; Infinity: never). */
  specialiseAfter = Cpu.defaultSpecialiseAfter;
  /** Derived views over state.ram (not state). */
  private views: RamViews;
  private special: SpecialisedLoop | undefined;
  /** Instructions run through `run` on the shared loop. */
  private sharedRun = 0;
  /** Why this processor could not get its own copy of the loop, if it could not. */
  specialiseError: string | undefined;
  engine: Engine = Cpu.defaultEngine;
  translateAfter = Cpu.defaultTranslateAfter;
  private blocks: BlockEngine | undefined;
  /** Instructions run through `run` on the interpreter. */
  private interpreted = 0;
  /** The interpreter with a debugger's breakpoints, while they are armed. */
  private breakRun: LoopFn | undefined;
  private breakSet: BreakSet | undefined;
  /** A run stopped at an armed breakpoint since they were armed (its caller saw a cap, not the budget's end). */
  breakHit = false;
  /** The watchpoint that stopped it, after the access: its kind (2 write, 3 read, 4 access) and the address hit. */
  watchHit: { readonly kind: 2 | 3 | 4; readonly addr: number } | undefined;

  /**
   * Pages whose dirty bits someone cleared (a digest, a state transfer's pre-copy), marked by whoever clears
   * them: with the dirty bits, the pages written since `tracked` RAM was known to be zero elsewhere.
   */
  readonly cleared: Uint8Array;
  /** The RAM buffer `cleared` describes (undefined: RAM handed in from outside, whose contents are unknown). */
  private tracked: Uint8Array | undefined;

  constructor(public state: CpuState) {
    checkCpuState(state);
    this.views = ramViews(state.ram);
    this.cleared = new Uint8Array(state.dirty.length);
  }

  static create(opts: CpuOptions): Cpu {
    const cpu = new Cpu(createCpuState(opts));
    cpu.trackWritten(); // its RAM came zeroed from the pool
    return cpu;
  }

  /** From now on RAM is known to be zero outside `pages` (none when absent) and the pages marked dirty. */
  trackWritten(pages?: Uint8Array): void {
    this.cleared.fill(0);
    if (pages) this.cleared.set(pages);
    this.tracked = this.state.ram;
  }

  /** The pages that may hold a non-zero byte (one byte per 4 KiB page), for the RAM pool; undefined when unknown. */
  writtenPages(): Uint8Array | undefined {
    if (this.tracked === undefined || this.tracked !== this.state.ram) return undefined;
    const out = this.cleared.slice();
    const dirty = this.state.dirty;
    for (let p = 0; p < dirty.length; p++) if (dirty[p] !== 0) out[p] = 1;
    return out;
  }

  /** The views, rebuilt if `state` was replaced (e.g. by a restored snapshot). */
  private get mem(): RamViews {
    if (this.views.u8 !== this.state.ram) {
      checkCpuState(this.state);
      this.views = ramViews(this.state.ram);
    }
    return this.views;
  }

  /** `mem` for the RAM access outside the run loop (ram-access.ts, load.ts), which asks for it only when it needs it. */
  private readonly viewsNow: ViewsNow = () => this.mem;

  get ramBytes(): number {
    return this.state.ram.length;
  }

  /** Loads a program and resets the processor (load.ts `loadImage` says what is reset and what is kept). */
  load(image: ProgramImage): void {
    const written = this.writtenPages();
    loadImage(this.state, image, this.viewsNow, written);
    // Outside the pages marked dirty, RAM is zero now.
    if (written) this.cleared.fill(0);
  }

  /**
   * Executes non-sensitive instructions until `budget` instructions have counted or something stops it
   * (see Stop in types.ts and the precedence in interp.ts `runSlice`). Never throws for anything the guest does.
   */
  run(budget: number): Stop {
    if (!(budget >= 0)) throw new RangeError(`run: budget must be >= 0, got ${budget}`);
    const views = this.mem;
    let left = Math.floor(budget);
    for (;;) {
      const slice = left > SLICE_MAX ? SLICE_MAX : left;
      const stop = this.slice(views, slice);
      if (stop.kind === 'break') {
        this.breakHit = true;
        const b = this.breakSet!;
        if (b.hitKind !== 0) this.watchHit = { kind: b.hitKind as 2 | 3 | 4, addr: b.hitAddr };
      }
      if (stop !== STOP_BUDGET || left === slice) return stop;
      left -= slice;
    }
  }

  /** True when this processor runs on its own compiled copy of the loop. */
  get specialised(): boolean {
    const sp = this.special;
    const s = this.state;
    return sp !== undefined && sp.regs === s.regs && sp.ram === s.ram && sp.dirty === s.dirty;
  }

  /** Blocks this processor has translated (0 on the interpreter). */
  get translatedBlocks(): number {
    return this.blocks?.translated ?? 0;
  }

  /**
   * Arms a debugger's breakpoints and watchpoints: `run` then stops after a load or store that touches a
   * watched range (`watchHit` says which), and (`{kind: 'break'}`) before executing an instruction at one
   * of `addrs`, except at instret `past` (where gdb resumes from a breakpoint). It runs on the interpreter
   * meanwhile, so translated blocks need no checks. One processor at a time is armed (the break set is shared).
   */
  armBreakpoints(addrs: Iterable<number>, past: number, watches: readonly WatchRange[] = []): void {
    const b = armBreakSet(this.state.ram.length, addrs, past, watches);
    this.breakSet = b.breaks;
    this.breakRun = b.run;
    this.breakHit = false;
    this.watchHit = undefined;
  }

  disarmBreakpoints(): void {
    this.breakRun = undefined;
    this.breakHit = false;
    this.watchHit = undefined;
  }

  private slice(views: RamViews, budget: number): Stop {
    const s = this.state;
    if (this.breakRun !== undefined) return this.breakRun(s, views, budget);
    if (this.engine === 'blocks' && this.interpreted >= this.translateAfter) {
      if (this.blocks === undefined || !this.blocks.fits(s, views)) this.blocks = new BlockEngine(s, views, runSlice);
      return this.blocks.run(budget);
    }
    const before = s.instret;
    const stop = this.interpret(views, budget);
    this.interpreted += s.instret - before;
    return stop;
  }

  private interpret(views: RamViews, budget: number): Stop {
    const s = this.state;
    if (this.specialised) return this.special!.run(s, views, budget);
    if (this.sharedRun >= this.specialiseAfter) {
      try {
        this.special = specialise(s, views);
        return this.special.run(s, views, budget);
      } catch (err) {
        // No code generation from strings here (a flag, a policy): the shared loop does the same work.
        if (this.special !== undefined) throw err;
        this.specialiseAfter = Infinity;
        this.specialiseError = (err as Error).message;
      }
    }
    const before = s.instret;
    const stop = runSlice(s, views, budget);
    this.sharedRun += s.instret - before;
    return stop;
  }

  /** Reflects a precise exception into the guest (pc is the faulting instruction: it becomes mepc). */
  takeException(cause: number, tval: number): GuestFault | undefined {
    return enterTrap(this.state, cause, tval, this.state.pc, this.wordAt);
  }

  /** Flushes and clears the trap unit's buffer (also cancels its countdown); returns what it held. */
  takeHardwareTraps(): { v1: number; v2: number } {
    return takeHardwareTraps(this.state.trap);
  }

  /** The guest can take a deferred-trap delivery now: it runs in U, or in M with mstatus.MIE set. */
  canTakeDeferred(): boolean {
    return canTakeDeferred(this.state);
  }

  /** Delivers deferred traps to the guest (traps.ts `deliverDeferred`). Call only when canTakeDeferred(). */
  deliverDeferred(v1: number, v2: number): GuestFault | undefined {
    return deliverDeferred(this.state, v1, v2, this.wordAt);
  }

  /** Takes a pending interrupt if the guest can (traps.ts `takePendingInterrupt`): true, false or a GuestFault. */
  takePendingInterrupt(): GuestFault | boolean {
    return takePendingInterrupt(this.state, this.wordAt);
  }

  /** RAM offset of [addr, addr+len), or -1 when any of it is outside RAM. */
  ramOffset(addr: number, len: number): number {
    return ramOffset(this.state.ram.length, addr, len);
  }

  /** The aligned 32-bit word at addr (unsigned), or undefined when misaligned or outside RAM. */
  readWord(addr: number): number | undefined {
    return readWord(this.state, this.viewsNow, addr);
  }

  /** Writes an aligned 32-bit word (marks the page dirty); false when misaligned or outside RAM. */
  writeWord(addr: number, value: number): boolean {
    return writeWord(this.state, this.viewsNow, addr, value);
  }

  /** A copy of len bytes at addr, or undefined when any of them is outside RAM. */
  readBytes(addr: number, len: number): Uint8Array | undefined {
    return readBytes(this.state, addr, len);
  }

  /** Copies bytes into RAM at addr (marks every page touched dirty); false (and nothing written) when outside RAM. */
  writeBytes(addr: number, bytes: Uint8Array): boolean {
    return writeBytes(this.state, this.viewsNow, addr, bytes);
  }

  /** The instruction word at pc, for fault reports; undefined when pc is not an aligned RAM address. */
  readonly wordAt = (pc: number): number | undefined => this.readWord(pc);
}
