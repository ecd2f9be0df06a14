/**
 * Reverse execution for the gdb stub. The machine is deterministic, so a point of the run is just a
 * position: the number of instructions the debugger has stepped since reset. The history keeps snapshots
 * every `every` positions (copy-on-write: unchanged RAM, disk and console pages are shared) and the edits
 * gdb made (memory and register writes, `monitor fail`) with their positions. Going back to position k
 * restores the nearest snapshot at or before k and re-runs forward to k, applying the edits on the way.
 *
 * An edit made at a position before the end of the recorded history starts a new future: the later edits
 * and snapshots are dropped. Past `kept` snapshots, every other one is dropped and the spacing doubles, so
 * a long session holds a bounded number of them.
 *
 * Forward movement runs in slices (`run`) at the engine's speed. Where a slice ends matters to a pair: the
 * other replica catches up at the end of each slice, so the pair's state at a position depends on where the
 * slices before it ended. The history records those ends (cuts) and re-runs through the same ones, so going
 * back and forward again reaches the same state, the other replica included.
 */
import type { WatchRange } from '../cpu/cpu.js';
import type { DebugMachine, MachineEdit, MachineEnd, WatchHit } from './gdb-machine.js';

const NO_BREAKPOINTS: ReadonlySet<number> = new Set();

/**
 * A run takes a snapshot at a multiple of the spacing only once it has run this many times as long as the last
 * snapshot took (a pair's snapshot costs tens of milliseconds: one every 5,000 instructions would cost more than
 * the run). Only when snapshots are taken depends on time, never the run: its slices end at the multiples anyway.
 */
const SNAPSHOT_SHARE = 5;

interface Snap<S> {
  readonly pos: number;
  readonly snap: S;
}

interface Edit {
  readonly pos: number;
  readonly edit: MachineEdit;
  /** Applied as the step from `pos` begins (`monitor fail`: the failure falls between two instructions, so
   *  position `pos` still shows the pair before it); otherwise applied on arriving at `pos`. */
  readonly atStep: boolean;
}

/** Where `History.run` stopped: its goal, a breakpoint, a watchpoint (`History.watchHit`), the followed processor changed, or the machine's end. */
export type RunStop = 'goal' | 'breakpoint' | 'watch' | 'switch' | MachineEnd;

/** Where a reverse movement stopped. */
export type ReverseStop = 'step' | 'breakpoint' | 'begin';

/** Whether the guest's console output goes out now: closed while the history re-runs positions already shown. */
export interface ConsoleGate {
  open: boolean;
}

export class History<S> {
  private pos = 0;
  /** Positions up to this one have run once already: their console output was shown. */
  private furthest = 0;
  private every: number;
  private snaps: Snap<S>[];
  private edits: Edit[] = [];
  /** Positions where a forward slice ended, ascending (a re-run ends its slices there too). */
  private cuts: number[] = [];
  /** What the last snapshot of a run cost, and the time the machine ran since (milliseconds). */
  private snapMs = 0;
  private ranMs = 0;
  /** The watchpoint the last `run` that returned 'watch' stopped at. */
  watchHit: WatchHit | undefined;
  /** False while reverse-continue looks for breakpoints: its stops are not cuts. */
  private recording = true;

  constructor(
    readonly machine: DebugMachine<S>,
    every: number,
    private readonly kept: number,
    private readonly gate: ConsoleGate = { open: true },
  ) {
    this.every = Math.max(1, every);
    this.snaps = [{ pos: 0, snap: machine.snapshot() }];
  }

  /** Instructions stepped since reset. */
  get position(): number {
    return this.pos;
  }

  get snapshots(): number {
    return this.snaps.length;
  }

  get spacing(): number {
    return this.every;
  }

  /**
   * One instruction forward; the machine's end when it cannot move. `keep` false takes no snapshot here (a
   * single `stepi` stays fast; the re-run of a reverse step takes the snapshots it passes instead).
   */
  step(keep = true): MachineEnd | undefined {
    if (keep && this.pos % this.every === 0 && !this.snaps.some((s) => s.pos === this.pos)) this.keep();
    this.applyAtStep();
    this.gate.open = this.pos >= this.furthest;
    const end = this.machine.step();
    this.gate.open = true;
    if (end) return end;
    this.arrive(this.pos + 1);
    return undefined;
  }

  /**
   * Up to `max` instructions forward in slices, stopping before an instruction at one of `breakpoints` (never
   * before the first), after a load or store one of `watches` sees, at the end, and after the first instruction of another processor when the one followed
   * changes (`monitor fail`). A slice ends at the next snapshot's position, edit and cut, and where the
   * positions already shown end (the console is silent before it).
   */
  run(max: number, breakpoints: ReadonlySet<number> = NO_BREAKPOINTS, watches: readonly WatchRange[] = []): RunStop {
    const goal = this.pos + max;
    let first = true;
    while (this.pos < goal) {
      if (this.recording && this.pos % this.every === 0 && this.ranMs >= SNAPSHOT_SHARE * this.snapMs && !this.has(this.pos)) {
        const t = performance.now();
        this.keep();
        this.snapMs = performance.now() - t;
        this.ranMs = 0;
      }
      const who = this.machine.followed;
      this.applyAtStep();
      const switched = this.machine.followed !== who;
      const until = switched ? this.pos + 1 : Math.min(goal, this.nextStop());
      this.gate.open = this.pos >= this.furthest;
      // A breakpoint at the position a slice starts from stops it, unless the movement starts there.
      const hitHere = !first && breakpoints.has(this.machine.cpu.state.pc >>> 0);
      const t = performance.now();
      const r = hitHere ? { steps: 0 } : this.machine.run(until - this.pos, breakpoints, watches);
      this.ranMs += performance.now() - t;
      this.gate.open = true;
      first = false;
      if (r.steps > 0) this.arrive(this.pos + r.steps);
      if (r.end) return r.end;
      if (r.watch) {
        this.watchHit = r.watch;
        return 'watch';
      }
      if (hitHere || this.pos < until) return 'breakpoint';
      if (switched) return 'switch';
    }
    return 'goal';
  }

  /**
   * Applies the edits that fall as the step from this position begins (`monitor fail`), pinned the first time
   * (the primary's instruction count): a re-run fails it at the same instruction whatever the other replica did.
   */
  private applyAtStep(): void {
    this.edits = this.edits.map((e) => {
      if (!e.atStep || e.pos !== this.pos) return e;
      const edit = this.machine.pin?.(e.edit) ?? e.edit;
      this.machine.edit(edit);
      return { ...e, edit };
    });
  }

  /** The next position after this one where a slice must end (a snapshot's, an edit's, a cut, the furthest). */
  private nextStop(): number {
    let next = (Math.floor(this.pos / this.every) + 1) * this.every;
    for (const e of this.edits) if (e.pos > this.pos && e.pos < next) next = e.pos;
    if (this.furthest > this.pos && this.furthest < next) next = this.furthest;
    const cut = this.cuts[this.firstCutAfter(this.pos)];
    return cut !== undefined && cut < next ? cut : next;
  }

  /** The end of a forward movement at `pos`: a cut there, the edits made there applied. */
  private arrive(pos: number): void {
    this.pos = pos;
    if (pos > this.furthest) this.furthest = pos;
    if (this.recording) {
      const c = this.cuts;
      const i = this.firstCutAfter(pos - 1);
      if (c[i] !== pos) c.splice(i, 0, pos);
    }
    for (const e of this.edits) if (!e.atStep && e.pos === pos) this.machine.edit(e.edit);
  }

  /** The index of the first cut after `pos` (the number of cuts when there is none). */
  private firstCutAfter(pos: number): number {
    const c = this.cuts;
    let lo = 0;
    let hi = c.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Runs to the end without the debugger: first silently over positions already shown, then at full speed. */
  finish(): MachineEnd {
    this.seek(this.furthest);
    this.applyAtStep();
    return this.machine.finish();
  }

  /**
   * Applies an edit now and records it (`monitor fail` is applied as the next step begins); an error message
   * when the machine refuses it.
   */
  edit(edit: MachineEdit): string | undefined {
    if (edit.kind === 'fail') {
      if (this.edits.some((e) => e.atStep && e.pos === this.pos)) return 'the primary fails already before its next instruction';
      const refused = this.machine.vet(edit);
      if (refused) return refused;
      this.edits = this.edits.filter((e) => e.pos <= this.pos);
      this.edits.push({ pos: this.pos, edit, atStep: true });
      this.snaps = this.snaps.filter((s) => s.pos <= this.pos);
      this.cuts = this.cuts.filter((c) => c <= this.pos);
      this.furthest = this.pos;
      return undefined;
    }
    const err = this.machine.edit(edit);
    if (err) return err;
    this.edits = this.edits.filter((e) => e.pos <= this.pos);
    this.edits.push({ pos: this.pos, edit, atStep: false });
    this.snaps = this.snaps.filter((s) => s.pos < this.pos);
    this.cuts = this.cuts.filter((c) => c <= this.pos);
    this.furthest = this.pos;
    this.snaps.push({ pos: this.pos, snap: this.machine.snapshot() });
    return undefined;
  }

  /** One instruction back; 'begin' at position 0. */
  reverseStep(): ReverseStop {
    if (this.pos === 0) return 'begin';
    this.seek(this.pos - 1);
    return 'step';
  }

  /** Back to the last position before this one where the pc was in `breakpoints`; 'begin' when there is none. */
  reverseContinue(breakpoints: ReadonlySet<number>): ReverseStop {
    let hi = this.pos;
    while (hi > 0) {
      const from = this.snapBefore(hi - 1);
      this.restore(from);
      let last = breakpoints.has(this.machine.cpu.state.pc >>> 0) ? this.pos : -1;
      this.recording = false;
      try {
        while (this.pos < hi) {
          const r = this.run(hi - this.pos, breakpoints);
          if (r === 'breakpoint') last = this.pos;
          else if (r !== 'switch') break;
        }
      } finally {
        this.recording = true;
      }
      if (last >= 0) {
        this.seek(last);
        return 'breakpoint';
      }
      hi = from.pos;
    }
    this.seek(0);
    return 'begin';
  }

  /** Moves to position `target` (backwards or forwards along the recorded run). */
  seek(target: number): void {
    if (target < this.pos) this.restore(this.snapBefore(target));
    while (this.pos < target) if (this.run(target - this.pos) !== 'switch') break;
  }

  private snapBefore(pos: number): Snap<S> {
    let best = this.snaps[0]!;
    for (const s of this.snaps) if (s.pos <= pos && s.pos >= best.pos) best = s;
    return best;
  }

  private restore(s: Snap<S>): void {
    this.machine.restore(s.snap);
    this.pos = s.pos;
  }

  private has(pos: number): boolean {
    return this.snaps.some((s) => s.pos === pos);
  }

  private keep(): void {
    this.snaps.push({ pos: this.pos, snap: this.machine.snapshot() });
    if (this.snaps.length <= this.kept) return;
    this.every *= 2;
    // Keep position 0, every snapshot at a multiple of the new spacing, and the ones edits made (they hold the edit).
    const editAt = new Set(this.edits.map((e) => e.pos));
    this.snaps = this.snaps.filter((s) => s.pos === 0 || s.pos % this.every === 0 || editAt.has(s.pos));
  }
}
