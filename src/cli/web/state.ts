/**
 * The browser stepper's JSON view of a `Stepper`: every replica, a column each (registers, disassembly around the pc, the
 * recovery register, buffered and pending traps and interrupts), the channel's queue, and the timeline of the
 * epochs each replica ended, which the monitors' observers record from the start.
 */
import { disassemble } from '../../asm/disasm.js';
import { describeMessage } from '../../channel/protocol.js';
import { ABI_NAMES } from '../../../isa/registers.js';
import type { Monitor } from '../../vmm/monitor.js';
import type { Stepper } from '../stepper.js';
import type { ProgramImage } from '../../../isa/image.js';
import { replicaSummary, wordAt } from '../replica-summary.js';
import type { StepColumn } from '../step-target.js';

export interface EpochMark {
  readonly epoch: number;
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

export interface ReplicaView {
  readonly name: string;
  /** Its rank now (0: the primary); undefined once it has failed. */
  readonly rank: number | undefined;
  readonly role: string;
  readonly status: string;
  readonly pc: number;
  readonly where: string;
  readonly epoch: number;
  readonly rr: number;
  readonly instret: number;
  readonly regs: readonly { readonly name: string; readonly value: number }[];
  readonly csrs: Readonly<Record<string, number>>;
  /** The monitor's buffered deferred traps and interrupts (delivered at the epoch's end). */
  readonly buffered: { readonly v1: number; readonly v2: number; readonly interrupts: readonly string[] };
  /** The trap unit's traps waiting for their delay. */
  readonly pending: { readonly v1: number; readonly v2: number };
  readonly disasm: readonly { readonly addr: number; readonly text: string; readonly current: boolean }[];
  readonly epochs: readonly EpochMark[];
}

export interface StepperView {
  readonly program: string;
  readonly replicas: readonly ReplicaView[];
  /** What waits on the channel of the first backup (the pair's one channel). */
  readonly channel: readonly string[];
  /** Lines about the group: its protection, a transfer in progress (none for a pair). */
  readonly notes: readonly string[];
  readonly failover: string | undefined;
  readonly done: boolean;
}

const CSRS = ['mstatus', 'mie', 'mip', 'mepc', 'mcause', 'mtval', 'xtimer'] as const;

/** Records the epochs of every replica and builds views. Create it before the stepper runs. */
export class StepperModel {
  private readonly epochs = new Map<Monitor, EpochMark[]>();

  constructor(
    readonly stepper: Stepper,
    private readonly image: ProgramImage,
    private readonly program: string,
  ) {
    this.watch();
  }

  /** Records the epochs of replicas not yet watched (a group's rebackups join on the way). */
  private watch(): StepColumn[] {
    const cols = this.stepper.target.columns();
    for (const c of cols) {
      if (this.epochs.has(c.monitor)) continue;
      const list: EpochMark[] = [];
      this.epochs.set(c.monitor, list);
      c.monitor.observe({
        onEpochEnd: (epoch, reason, instret) => list.push({ epoch, start: list[list.length - 1]?.end ?? 0, end: instret, reason }),
      });
    }
    return cols;
  }

  view(): StepperView {
    const target = this.stepper.target;
    const cols = this.watch();
    return {
      program: this.program,
      replicas: cols.map((c) => this.replica(c)),
      channel: ((target.kind === 'pair' ? cols[1] : cols.find((c) => c.rank === 1))?.queue ?? []).map(describeMessage),
      notes: target.kind === 'pair' ? [] : target.notes(),
      failover: target.failover(),
      done: target.serving.done,
    };
  }

  private replica(c: StepColumn): ReplicaView {
    const m = c.monitor;
    const st = m.computer.cpu.state;
    const s = replicaSummary(m, this.image.symbols);
    const csrs: Record<string, number> = {};
    for (const k of CSRS) csrs[k] = st.csr[k] >>> 0;
    return {
      name: c.name,
      rank: c.rank,
      role: s.role,
      status: s.status,
      pc: s.pc,
      where: s.where,
      epoch: s.epoch,
      rr: s.rr,
      instret: s.instret,
      regs: Array.from(st.regs, (v, i) => ({ name: ABI_NAMES[i]!, value: v >>> 0 })),
      csrs,
      buffered: s.buffered,
      pending: { v1: s.pending.v1, v2: s.pending.v2 },
      disasm: this.disasm(st.ram, s.pc),
      epochs: (this.epochs.get(m) ?? []).slice(-200),
    };
  }

  /** Six instructions before the pc and nine after, with symbols as labels. */
  private disasm(ram: Uint8Array, pc: number): ReplicaView['disasm'] {
    const out: { addr: number; text: string; current: boolean }[] = [];
    for (let addr = pc - 24; addr <= pc + 36; addr += 4) {
      const word = wordAt(ram, addr);
      if (word === undefined) continue;
      const label = this.image.symbols.find((s) => s.addr === addr);
      out.push({ addr, text: (label ? `<${label.name}> ` : '') + disassemble(word, addr).replace(/\t/g, ' '), current: addr === pc });
    }
    return out;
  }
}
