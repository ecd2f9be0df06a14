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
 */
import type { DebugMachine, MachineEdit, MachineEnd } from './gdb-machine.js';

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
    for (const e of this.edits) if (e.atStep && e.pos === this.pos) this.machine.edit(e.edit);
    this.gate.open = this.pos >= this.furthest;
    const end = this.machine.step();
    this.gate.open = true;
    if (end) return end;
    this.pos++;
    if (this.pos > this.furthest) this.furthest = this.pos;
    for (const e of this.edits) if (!e.atStep && e.pos === this.pos) this.machine.edit(e.edit);
    return undefined;
  }

  /** Runs to the end without the debugger: first silently over positions already shown, then at full speed. */
  finish(): MachineEnd {
    this.seek(this.furthest);
    for (const e of this.edits) if (e.atStep && e.pos === this.pos) this.machine.edit(e.edit);
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
      this.furthest = this.pos;
      return undefined;
    }
    const err = this.machine.edit(edit);
    if (err) return err;
    this.edits = this.edits.filter((e) => e.pos <= this.pos);
    this.edits.push({ pos: this.pos, edit, atStep: false });
    this.snaps = this.snaps.filter((s) => s.pos < this.pos);
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
      let last = -1;
      while (this.pos < hi) {
        if (breakpoints.has(this.machine.cpu.state.pc >>> 0)) last = this.pos;
        if (this.step()) break;
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
    while (this.pos < target) if (this.step()) break;
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

  private keep(): void {
    this.snaps.push({ pos: this.pos, snap: this.machine.snapshot() });
    if (this.snaps.length <= this.kept) return;
    this.every *= 2;
    // Keep position 0, every snapshot at a multiple of the new spacing, and the ones edits made (they hold the edit).
    const editAt = new Set(this.edits.map((e) => e.pos));
    this.snaps = this.snaps.filter((s) => s.pos === 0 || s.pos % this.every === 0 || editAt.has(s.pos));
  }
}
