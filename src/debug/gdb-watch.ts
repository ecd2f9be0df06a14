/**
 * Watchpoints (`Z2` write, `Z3` read, `Z4` access) on guest memory. An access that overlaps a watched range
 * stops the run after the load or store, with `watch:`, `rwatch:` or `awatch:` and the address in the stop
 * reply, as a hardware debug unit would. A continue leaves the check to the processor (Cpu.armBreakpoints,
 * which decodes each load and store before it executes); a single step decodes the instruction here.
 * Only the guest's own loads and stores count: the devices' transfers into RAM (an I/O READ's data, the
 * completion ring) are not instructions and do not stop it.
 */
import { decodeRow } from '../../isa/decode.js';
import type { Cpu, WatchRange } from '../cpu/cpu.js';
import type { WatchHit } from './gdb-machine.js';

/** Z2, Z3, Z4. */
export type WatchKind = 2 | 3 | 4;

const REASON: Record<WatchKind, string> = { 2: 'watch', 3: 'rwatch', 4: 'awatch' };

/** Bytes each load and store moves. */
const WIDTH: Readonly<Record<string, { readonly len: number; readonly store: boolean }>> = {
  lb: { len: 1, store: false },
  lbu: { len: 1, store: false },
  lh: { len: 2, store: false },
  lhu: { len: 2, store: false },
  lw: { len: 4, store: false },
  sb: { len: 1, store: true },
  sh: { len: 2, store: true },
  sw: { len: 4, store: true },
};

export interface Access {
  readonly addr: number;
  readonly len: number;
  readonly store: boolean;
}

/** The memory access of the instruction at pc, or undefined when it is not a load or a store. */
export function accessAt(cpu: Cpu): Access | undefined {
  const s = cpu.state;
  const w = cpu.readWord(s.pc);
  if (w === undefined) return undefined;
  const row = decodeRow(w);
  const width = row && WIDTH[row.mnemonic];
  if (!width) return undefined;
  const imm = width.store ? ((w >> 25) << 5) | ((w >> 7) & 31) : w >> 20;
  return { addr: (s.regs[(w >> 15) & 31]! + imm) >>> 0, len: width.len, store: width.store };
}

/** The stop reply's reason for a hit: `watch:ADDR;`, `rwatch:ADDR;` or `awatch:ADDR;`. */
export function watchReason(hit: WatchHit): string {
  return `${REASON[hit.kind]}:${hit.addr.toString(16)};`;
}

export class Watchpoints {
  private readonly list: WatchRange[] = [];

  get size(): number {
    return this.list.length;
  }

  /** The ranges, for the processor's own checks (Cpu.armBreakpoints). */
  get ranges(): readonly WatchRange[] {
    return this.list;
  }

  add(kind: WatchKind, addr: number, len: number): void {
    if (!this.list.some((w) => w.kind === kind && w.addr === addr && w.len === len)) this.list.push({ kind, addr, len });
  }

  remove(kind: WatchKind, addr: number, len: number): void {
    const i = this.list.findIndex((w) => w.kind === kind && w.addr === addr && w.len === len);
    if (i >= 0) this.list.splice(i, 1);
  }

  /** The stop reply's reason (`watch:ADDR;`) for an access, or undefined when no watchpoint sees it. */
  hit(a: Access): string | undefined {
    for (const w of this.list) {
      if (w.kind === 2 && !a.store) continue;
      if (w.kind === 3 && a.store) continue;
      const lo = Math.max(a.addr, w.addr);
      if (lo < Math.min(a.addr + a.len, w.addr + w.len)) return watchReason({ kind: w.kind, addr: lo });
    }
    return undefined;
  }
}
