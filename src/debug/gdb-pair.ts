/**
 * The gdb stub's machine for `shadowvm pair --gdb`: one replica of a fault-tolerant pair. A step is pair
 * turns with a cap of one more instruction on that replica (`Pair.turn(caps)`), so the other replica and
 * the channel move as the pair's scheduler makes them. `monitor fail` fail-stops the primary at its
 * current instruction: the pair is rebuilt from a snapshot of itself with that failure point, and the
 * debugger then follows the backup, which catches up, takes over (Figure 7's steps) and serves.
 */
import { hex32 } from '../base/format.js';
import { Pair, type PairOptions, type PairSnapshot, type PairStop } from '../ft/pair.js';
import type { Monitor } from '../vmm/monitor.js';
import type { Cpu, WatchRange } from '../cpu/cpu.js';
import { describeMessage } from '../channel/protocol.js';
import { disassemble } from '../asm/disasm.js';
import { symbolAt, type ProgramImage } from '../../isa/image.js';
import type { DebugMachine, MachineEdit, MachineEnd, MachineRun } from './gdb-machine.js';
import { applyCpuEdit } from './gdb-registers.js';

export type Side = 'primary' | 'backup';

export interface PairDebugSnapshot {
  readonly pair: PairSnapshot;
  readonly opts: PairOptions;
  readonly side: Side;
}

/** Turns without the followed replica moving before the step gives up (a replica waiting for nothing). */
const MAX_IDLE_TURNS = 100_000;

export class PairDebugMachine implements DebugMachine<PairDebugSnapshot> {
  private ended: MachineEnd | undefined;

  constructor(
    public pair: Pair,
    private opts: PairOptions,
    /** The replica gdb follows. */
    public side: Side,
    private readonly image: ProgramImage,
  ) {}

  get followed(): Side {
    return this.side;
  }

  readonly threads: readonly Side[] = ['primary', 'backup'];

  get followedThread(): number {
    return this.side === 'primary' ? 1 : 2;
  }

  cpuOf(thread: number): Cpu | undefined {
    return thread === 1 ? this.pair.primary.computer.cpu : thread === 2 ? this.pair.backup.computer.cpu : undefined;
  }

  describeThread(thread: number): string {
    const m = thread === 1 ? this.pair.primary : this.pair.backup;
    const failed = thread === 1 ? this.pair.primaryFailed : this.pair.backupFailed;
    return `${this.threads[thread - 1]}: role ${m.state.role}, ${this.status(m, failed)}, epoch ${m.state.epoch}`;
  }

  private status(m: Monitor, failed: boolean): string {
    return failed ? 'failed' : m.state.halted ? `halted (${m.state.halted.code})` : m.state.fault ? 'guest fault' : 'running';
  }

  private get monitorOf(): Monitor {
    return this.side === 'primary' ? this.pair.primary : this.pair.backup;
  }

  get other(): Monitor {
    return this.side === 'primary' ? this.pair.backup : this.pair.primary;
  }

  get cpu(): Cpu {
    return this.monitorOf.computer.cpu;
  }

  step(): MachineEnd | undefined {
    if (this.ended) return this.ended;
    const st = this.cpu.state;
    const before = st.instret;
    const caps = this.side === 'primary' ? { primary: before + 1 } : { backup: before + 1 };
    for (let i = 0; i < MAX_IDLE_TURNS; i++) {
      const stop = this.pair.turn(caps);
      if (this.cpu.state.instret > before) return undefined;
      if (stop) return (this.ended = this.end(stop));
    }
    return (this.ended = this.stuck());
  }

  run(max: number, breakpoints: ReadonlySet<number>, watches: readonly WatchRange[] = []): MachineRun {
    if (this.ended) return { steps: 0, end: this.ended };
    const cpu = this.cpu;
    const st = cpu.state;
    const before = st.instret;
    const cap = before + max;
    const caps = this.side === 'primary' ? { primary: cap } : { backup: cap };
    if (breakpoints.size > 0 || watches.length > 0) cpu.armBreakpoints(breakpoints, before, watches);
    try {
      let idle = 0;
      for (let last = before; ;) {
        const stop = this.pair.turn(caps);
        const steps = st.instret - before;
        if (st.instret >= cap || cpu.breakHit) return { steps, watch: cpu.watchHit };
        if (stop) return { steps, end: (this.ended = this.end(stop)) };
        idle = st.instret === last ? idle + 1 : 0;
        last = st.instret;
        if (idle >= MAX_IDLE_TURNS) return { steps, end: (this.ended = this.stuck()) };
      }
    } finally {
      cpu.disarmBreakpoints();
    }
  }

  private stuck(): MachineEnd {
    return { status: 'budget', exitCode: 0, message: `the ${this.side} cannot move: it waits for something that never comes` };
  }

  finish(): MachineEnd {
    return (this.ended ??= this.end(this.pair.run().stop));
  }

  private end(stop: PairStop): MachineEnd {
    const r = this.pair.result(stop);
    switch (stop) {
      case 'halt':
        return { status: 'halt', exitCode: r.exitCode, message: `the guest halted with exit code ${r.exitCode}` };
      case 'fault':
        return { status: 'fault', exitCode: 0, message: `guest fault${r.fault ? `: ${r.fault}` : ''}` };
      case 'diverged':
        return {
          status: 'diverged',
          exitCode: 0,
          message: `the replicas diverged${r.divergence ? ` in epoch ${r.divergence.epoch}: ${r.divergence.where}` : ''}`,
        };
      case 'budget':
        return { status: 'budget', exitCode: 0, message: `the instruction budget ran out at pc ${hex32(r.pc)}` };
    }
  }

  snapshot(): PairDebugSnapshot {
    return { pair: this.pair.snapshot(), opts: this.opts, side: this.side };
  }

  restore(snap: PairDebugSnapshot): void {
    this.pair.dispose();
    this.opts = snap.opts;
    this.side = snap.side;
    this.pair = new Pair(undefined, snap.opts, snap.pair);
    this.ended = undefined;
  }

  vet(e: MachineEdit): string | undefined {
    if (e.kind === 'follow') {
      if (e.thread !== 1 && e.thread !== 2) return `there is no thread ${e.thread}`;
      if (e.thread === 1 ? this.pair.primaryFailed : this.pair.backupFailed) return `the ${this.threads[e.thread - 1]} has failed`;
      return undefined;
    }
    if (e.kind !== 'fail') return e.thread === undefined || this.cpuOf(e.thread) ? undefined : `there is no thread ${e.thread}`;
    const n = this.pair.primary.computer.cpu.state.instret;
    const pending = this.opts.failAt?.kind === 'instruction' && this.opts.failAt.n <= n;
    if (this.pair.primaryFailed || pending) return 'the primary has failed already';
    if (this.pair.backupFailed) return 'the backup has failed: failing the primary too would leave nothing to take over';
    if (this.pair.primary.done) return 'the primary has stopped already';
    return undefined;
  }

  pin(e: MachineEdit): MachineEdit {
    return e.kind === 'fail' && e.at === undefined ? { kind: 'fail', at: this.pair.primary.computer.cpu.state.instret } : e;
  }

  edit(e: MachineEdit): string | undefined {
    const refused = this.vet(e);
    if (refused) return refused;
    if (e.kind === 'follow') {
      this.side = this.threads[e.thread - 1]!;
      return undefined;
    }
    if (e.kind !== 'fail') return applyCpuEdit(this.cpuOf(e.thread ?? this.followedThread)!, e);
    const n = e.at ?? this.pair.primary.computer.cpu.state.instret;
    this.opts = { ...this.opts, failAt: { kind: 'instruction', n } };
    const snap = this.pair.snapshot();
    this.pair.dispose();
    this.pair = new Pair(undefined, this.opts, snap);
    this.side = 'backup';
    return undefined;
  }

  /** `monitor epoch | rr | channel | other`, or undefined for another command. */
  monitor(command: string): string | undefined {
    const P = this.pair.primary;
    const B = this.pair.backup;
    const status = (m: Monitor, failed: boolean): string => this.status(m, failed);
    const sides: [string, Monitor, boolean][] = [
      ['primary', P, this.pair.primaryFailed],
      ['backup', B, this.pair.backupFailed],
    ];
    switch (command) {
      case 'epoch':
        return sides
          .map(
            ([n, m, f]) => `${n}: epoch ${m.state.epoch}, role ${m.state.role}, ${status(m, f)}, instret ${m.computer.cpu.state.instret}`,
          )
          .concat(this.pair.takeover ? [`takeover: the backup took over in epoch ${this.pair.takeover.epoch}`] : [])
          .join('\n');
      case 'rr':
        return sides.map(([n, m]) => `${n}: rr ${m.computer.cpu.state.rr} (epoch length ${this.pair.config.epochLength})`).join('\n');
      case 'channel': {
        const items = this.pair.channel.contents();
        const lines = [`channel: ${items.length} message(s)${items.length ? '' : ' (empty)'}`];
        for (const m of items.slice(0, 16)) lines.push(`  ${describeMessage(m)}`);
        if (items.length > 16) lines.push(`  ... ${items.length - 16} more`);
        return lines.join('\n');
      }
      case 'other': {
        const o = this.other;
        const st = o.computer.cpu.state;
        const pc = st.pc >>> 0;
        const word = o.computer.cpu.readWord(pc);
        const sym = symbolAt(this.image, pc);
        const failed = this.side === 'primary' ? this.pair.backupFailed : this.pair.primaryFailed;
        return (
          `${this.side === 'primary' ? 'backup' : 'primary'} (${status(o, failed)}): pc ${hex32(pc)}${sym ? ` <${sym}>` : ''}` +
          `  ${word === undefined ? '<outside RAM>' : disassemble(word, pc)}  epoch ${o.state.epoch}  instret ${st.instret}`
        );
      }
      default:
        return undefined;
    }
  }
}
