/**
 * The browser stepper's JSON view of a `Stepper`: both replicas (registers, disassembly around the pc, the
 * recovery register, buffered and pending traps and interrupts), the channel's queue, and the timeline of the
 * epochs each replica ended, which the monitors' observers record from the start.
 */
import { disassemble } from '../../asm/disasm.js';
import { describeMessage } from '../../channel/protocol.js';
import { RAM_BASE } from '../../../isa/csrs.js';
import { ABI_NAMES } from '../../../isa/registers.js';
import type { Monitor } from '../../vmm/monitor.js';
import type { Stepper } from '../stepper.js';
import type { ProgramImage } from '../../../isa/image.js';

export interface EpochMark {
  readonly epoch: number;
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

export interface ReplicaView {
  readonly name: 'primary' | 'backup';
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
  readonly channel: readonly string[];
  readonly failover: string | undefined;
  readonly done: boolean;
}

const CSRS = ['mstatus', 'mie', 'mip', 'mepc', 'mcause', 'mtval', 'xtimer'] as const;

/** Records the epochs of both replicas and builds views. Create it before the stepper runs. */
export class StepperModel {
  private readonly epochs: { primary: EpochMark[]; backup: EpochMark[] } = { primary: [], backup: [] };

  constructor(
    readonly stepper: Stepper,
    private readonly image: ProgramImage,
    private readonly program: string,
  ) {
    for (const name of ['primary', 'backup'] as const) {
      const list = this.epochs[name];
      stepper.pair[name].observe({
        onEpochEnd: (epoch, reason, instret) => list.push({ epoch, start: list[list.length - 1]?.end ?? 0, end: instret, reason }),
      });
    }
  }

  view(): StepperView {
    const pair = this.stepper.pair;
    const t = pair.takeover;
    return {
      program: this.program,
      replicas: [this.replica('primary', pair.primary), this.replica('backup', pair.backup)],
      channel: pair.channel.contents().map(describeMessage),
      failover: t
        ? `the primary failed; the backup took over in epoch ${t.epoch} (${t.deletedCompletions} completion(s) deleted, DISCONNECTED for ${t.disconnected.length} device(s))`
        : pair.primaryFailed
          ? 'the primary failed'
          : undefined,
      done: pair.serving.done,
    };
  }

  private symbolAt(pc: number): string {
    let best: { name: string; addr: number } | undefined;
    for (const s of this.image.symbols) if (s.addr <= pc && (!best || s.addr > best.addr)) best = s;
    return best ? `${best.name}+0x${(pc - best.addr).toString(16)}` : '';
  }

  private replica(name: 'primary' | 'backup', m: Monitor): ReplicaView {
    const st = m.computer.cpu.state;
    const s = m.state;
    const pc = st.pc >>> 0;
    const status = m.stopped
      ? 'failed'
      : s.halted
        ? `halted (${s.halted.code})`
        : s.fault
          ? 'guest fault'
          : s.divergence
            ? 'diverged'
            : 'running';
    const csrs: Record<string, number> = {};
    for (const c of CSRS) csrs[c] = st.csr[c] >>> 0;
    return {
      name,
      role: s.role,
      status,
      pc,
      where: this.symbolAt(pc),
      epoch: s.epoch,
      rr: st.rr,
      instret: st.instret,
      regs: Array.from(st.regs, (v, i) => ({ name: ABI_NAMES[i]!, value: v >>> 0 })),
      csrs,
      buffered: {
        v1: s.v1 >>> 0,
        v2: s.v2 >>> 0,
        interrupts: s.interrupts.map((i) => (i.class === 'timer' ? 'timer' : `io op #${i.opId} dev=${i.device} status=${i.status}`)),
      },
      pending: { v1: st.trap.v1 >>> 0, v2: st.trap.v2 >>> 0 },
      disasm: this.disasm(st.ram, pc),
      epochs: this.epochs[name].slice(-200),
    };
  }

  /** Six instructions before the pc and nine after, with symbols as labels. */
  private disasm(ram: Uint8Array, pc: number): ReplicaView['disasm'] {
    const out: { addr: number; text: string; current: boolean }[] = [];
    for (let addr = pc - 24; addr <= pc + 36; addr += 4) {
      const off = addr - RAM_BASE;
      if (off < 0 || off + 4 > ram.length) continue;
      const word = (ram[off]! | (ram[off + 1]! << 8) | (ram[off + 2]! << 16) | (ram[off + 3]! << 24)) >>> 0;
      const label = this.image.symbols.find((s) => s.addr === addr);
      out.push({ addr, text: (label ? `<${label.name}> ` : '') + disassemble(word, addr).replace(/\t/g, ' '), current: addr === pc });
    }
    return out;
  }
}
