/** The gdb stub's machine for `shadowvm run --gdb`: one computer with no monitor (bare mode), one instruction a step. */
import { hex32 } from '../base/format.js';
import { Computer } from '../hw/computer.js';
import { BareMachine, type BareResult, type HeldTraps } from '../hw/bare.js';
import type { ComputerSnapshot } from '../hw/computer.js';
import type { World } from '../hw/world.js';
import type { WorldSnapshot } from '../hw/world-types.js';
import type { Cpu, WatchRange } from '../cpu/cpu.js';
import type { DebugMachine, MachineEdit, MachineEnd, MachineRun } from './gdb-machine.js';
import { applyCpuEdit } from './gdb-registers.js';

export interface BareDebugSnapshot {
  readonly computer: ComputerSnapshot;
  readonly held: HeldTraps;
  readonly world: WorldSnapshot;
}

export class BareDebugMachine implements DebugMachine<BareDebugSnapshot> {
  private bare: BareMachine;
  private ended: MachineEnd | undefined;

  constructor(
    computer: Computer,
    private readonly world: World,
    private readonly limit: number,
  ) {
    this.bare = new BareMachine(computer);
  }

  get computer(): Computer {
    return this.bare.computer;
  }

  readonly followed = 'computer';
  readonly threads = ['computer'];
  readonly followedThread = 1;

  cpuOf(thread: number): Cpu | undefined {
    return thread === 1 ? this.cpu : undefined;
  }

  describeThread(): string {
    return this.ended ? `computer, ${this.ended.status}` : 'computer, running';
  }

  get cpu(): Cpu {
    return this.bare.computer.cpu;
  }

  step(): MachineEnd | undefined {
    if (this.ended) return this.ended;
    if (this.cpu.state.instret >= this.limit) return (this.ended = this.budgetEnd());
    const r = this.bare.run({ maxInstructions: 1 });
    this.classify(r);
    // An instruction that halts (or faults) still retired: the step happened, and the next one reports the end.
    return r.instructions > 0 || !this.ended ? undefined : this.ended;
  }

  run(max: number, breakpoints: ReadonlySet<number>, watches: readonly WatchRange[] = []): MachineRun {
    if (this.ended) return { steps: 0, end: this.ended };
    const left = Math.min(max, this.limit - this.cpu.state.instret);
    if (left <= 0) return { steps: 0, end: (this.ended = this.budgetEnd()) };
    const cpu = this.cpu;
    if (breakpoints.size > 0 || watches.length > 0) cpu.armBreakpoints(breakpoints, cpu.state.instret, watches);
    try {
      const r = this.bare.run({ maxInstructions: left });
      this.classify(r);
      return { steps: r.instructions, end: this.ended, watch: cpu.watchHit };
    } finally {
      cpu.disarmBreakpoints();
    }
  }

  finish(): MachineEnd {
    const left = this.limit - this.cpu.state.instret;
    if (!this.ended && left > 0) this.classify(this.bare.run({ maxInstructions: left }));
    return (this.ended ??= this.budgetEnd());
  }

  private budgetEnd(): MachineEnd {
    return { status: 'budget', exitCode: 0, message: `the instruction budget (${this.limit}) ran out at pc ${hex32(this.cpu.state.pc)}` };
  }

  private classify(r: BareResult): void {
    if (r.stop === 'halt') this.ended = { status: 'halt', exitCode: r.exitCode, message: `the guest halted with exit code ${r.exitCode}` };
    else if (r.fault) {
      const f = r.fault;
      this.ended = { status: 'fault', exitCode: 0, message: `guest fault: cause ${f.cause} at pc ${hex32(f.pc)} with no trap handler` };
    } else if (r.deadlock) {
      this.ended = { status: 'deadlock', exitCode: 0, message: 'deadlock: the guest waits (wfi) for an interrupt that nothing can raise' };
    }
  }

  snapshot(): BareDebugSnapshot {
    return { computer: this.computer.snapshot(), held: { ...this.bare.held }, world: this.world.snapshot() };
  }

  restore(snap: BareDebugSnapshot): void {
    this.world.restore(snap.world);
    const c = Computer.restore(snap.computer, this.world);
    this.computer.dispose();
    this.bare = new BareMachine(c, snap.held);
    this.ended = undefined;
  }

  vet(e: MachineEdit): string | undefined {
    if (e.kind === 'fail') return 'there is no pair to fail in bare mode (use shadowvm pair --gdb)';
    if (e.kind === 'follow' || e.thread !== undefined) return (e.thread ?? 1) === 1 ? undefined : `there is no thread ${e.thread}`;
    return undefined;
  }

  edit(e: MachineEdit): string | undefined {
    return this.vet(e) ?? (e.kind === 'follow' || e.kind === 'fail' ? undefined : applyCpuEdit(this.cpu, e));
  }

  monitor(): string | undefined {
    return undefined;
  }
}
