/**
 * State digests for the checks of equivalent operation at epoch boundaries. RAM is hashed page by page;
 * only pages written since the last digest (the processor's dirty bits) are hashed again, so a digest
 * per epoch costs little more than the pages the epoch touched.
 */
import { hex8 } from '../base/format.js';
import type { CpuState } from '../cpu/types.js';
import type { StateDigest } from '../channel/protocol.js';
import { ABI_NAMES } from '../../isa/registers.js';

const PAGE = 4096;

const avalanche = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
};

/** FNV-1a-style mixing over 32-bit words, with a final avalanche. */
function hashWords(words: Int32Array, from: number, to: number, seed: number): number {
  let h = seed >>> 0;
  for (let i = from; i < to; i++) {
    h = Math.imul(h ^ words[i]!, 0x01000193);
  }
  return avalanche(h);
}

/** The hash of RAM page `p` (the words of `words` from its start to `to`, at most a page), seeded by its index. */
const pageHash = (words: Int32Array, p: number, to = (p + 1) * (PAGE >> 2)): number =>
  hashWords(words, p * (PAGE >> 2), to, 0x811c9dc5 ^ p);

/** 0x01000193 to the power of a page's words, mod 2^32: hashWords over a page of zeros multiplies its seed by it. */
const ZERO_PAGE_FACTOR = (() => {
  let f = 1;
  for (let i = 0; i < PAGE >> 2; i++) f = Math.imul(f, 0x01000193);
  return f;
})();

/** pageHash of page `p` when it holds only zeros, without reading a page (digest.test.ts checks it). */
export function zeroPageHash(p: number): number {
  return avalanche(Math.imul((0x811c9dc5 ^ p) >>> 0, ZERO_PAGE_FACTOR));
}

function hashNumbers(values: readonly number[], seed: number): number {
  let h = seed >>> 0;
  for (const v of values) h = Math.imul(h ^ (v | 0), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The guest-visible machine state outside the registers and RAM: the mode and the CSRs, in a fixed order. */
function csrWords(state: CpuState): number[] {
  const c = state.csr;
  return [state.mode, c.mstatus, c.mtvec, c.mepc, c.mcause, c.mtval, c.mscratch, c.mie, c.mip, c.xtv1, c.xtv2, c.xioq, c.xioqn, c.xtimer];
}

/** Per-replica cache of page hashes, kept between epochs. */
export class PageHashes {
  readonly hashes: Uint32Array;
  private readonly words: Int32Array;
  /** Pages that refreshes found dirty since the last `takeWritten` (kept once a state transfer asks for it). */
  private written: Uint8Array | undefined;

  /**
   * Starts from `hashes` (a snapshot's) when given; otherwise hashes on the first refresh every page that may
   * hold a non-zero byte (`written`; every page without it), and gives the others the zero page's hash.
   * `cleared` (the processor's, cpu.ts) is marked with every page whose dirty bit a refresh clears.
   */
  constructor(
    private readonly state: CpuState,
    hashes?: Uint32Array,
    private readonly cleared?: Uint8Array,
    /** Cpu.writtenPages: the pages that may hold a non-zero byte; the others start with the zero page's hash. */
    written?: Uint8Array,
  ) {
    const pages = state.ram.length / PAGE;
    this.hashes = hashes ? hashes.slice() : new Uint32Array(pages);
    this.words = new Int32Array(state.ram.buffer, state.ram.byteOffset, state.ram.length >> 2);
    if (hashes) return;
    if (written === undefined || written.length !== pages) {
      state.dirty.fill(1);
      return;
    }
    for (let p = 0; p < pages; p++) {
      if (written[p] !== 0) state.dirty[p] = 1;
      else this.hashes[p] = zeroPageHash(p);
    }
  }

  /** Rehashes dirty pages, clears their dirty bits, and returns [page, hash] for each. */
  refresh(): Array<[number, number]> {
    const changed: Array<[number, number]> = [];
    const dirty = this.state.dirty;
    const cleared = this.cleared;
    for (let p = 0; p < dirty.length; p++) {
      if (dirty[p] === 0) continue;
      dirty[p] = 0;
      if (cleared) cleared[p] = 1;
      if (this.written) this.written[p] = 1;
      const h = pageHash(this.words, p);
      if (h !== this.hashes[p]) changed.push([p, h]);
      this.hashes[p] = h;
    }
    return changed;
  }

  /** Marks in `into` the pages refreshes found dirty since the last call, and from now on keeps that record. */
  takeWritten(into: Uint8Array): void {
    if (this.written) {
      for (let p = 0; p < this.written.length; p++) if (this.written[p] !== 0) into[p] = 1;
      this.written.fill(0);
    } else {
      this.written = new Uint8Array(this.hashes.length);
      into.fill(1); // nothing was recorded before: every page counts as written
    }
  }

  memHash(): number {
    return hashWords(new Int32Array(this.hashes.buffer, this.hashes.byteOffset, this.hashes.length), 0, this.hashes.length, 0x9747b28c);
  }
}

/** The digest of a replica's guest state now. `extra` covers guest-visible state kept outside the processor. */
export function digestState(state: CpuState, pages: PageHashes, extra: readonly number[]): StateDigest {
  const changed = pages.refresh();
  const csrHash = hashNumbers([...csrWords(state), state.instret, ...extra], 0x2545f491);
  return { regs: Array.from(state.regs), pc: state.pc >>> 0, csrHash, memHash: pages.memHash(), pages: changed };
}

/** Where two digests first differ, in words a person can act on; undefined when they agree. */
export function compareDigests(
  primary: StateDigest,
  backup: StateDigest,
  primaryPages: Uint32Array,
  backupPages: Uint32Array,
  ramBase: number,
): string | undefined {
  if (primary.pc !== backup.pc) return `pc: primary 0x${hex8(primary.pc)}, backup 0x${hex8(backup.pc)}`;
  for (let i = 0; i < 32; i++) {
    if (primary.regs[i] !== backup.regs[i]) {
      return `register x${i} (${ABI_NAMES[i]}): primary 0x${hex8(primary.regs[i]!)}, backup 0x${hex8(backup.regs[i]!)}`;
    }
  }
  if (primary.csrHash !== backup.csrHash) return 'CSRs or I/O state (mode, mstatus, mip, xtv1/xtv2, completion ring, ...)';
  if (primary.memHash !== backup.memHash) {
    for (let p = 0; p < primaryPages.length; p++) {
      if (primaryPages[p] !== backupPages[p]) {
        const lo = ramBase + p * PAGE;
        return `memory 0x${hex8(lo)}..0x${hex8(lo + PAGE - 1)}`;
      }
    }
    return 'memory (page hashes agree but the totals differ)';
  }
  return undefined;
}

/**
 * A short fingerprint of a replica's whole guest state (registers, pc, CSRs, RAM), for reports. RAM is
 * hashed page by page (as the digests do) and the pages' hashes in order; `written` (Cpu.writtenPages: one
 * byte per page, 0 where the page is still all zeros) lets the pages never written count as zero pages
 * without reading them. The fingerprint is the same with or without it.
 */
export function stateFingerprint(state: CpuState, written?: Uint8Array): string {
  const words = new Int32Array(state.ram.buffer, state.ram.byteOffset, state.ram.length >> 2);
  const per = PAGE >> 2;
  const skip = written !== undefined && written.length === Math.ceil(words.length / per) ? written : undefined;
  let mem = 0x2f5a3c91;
  for (let p = 0; p * per < words.length; p++) {
    const end = Math.min((p + 1) * per, words.length);
    const h = skip !== undefined && skip[p] === 0 && end - p * per === per ? zeroPageHash(p) : pageHash(words, p, end);
    mem = Math.imul(mem ^ h, 0x01000193);
  }
  mem = (mem ^ (mem >>> 15)) >>> 0;
  const regs = hashNumbers([...state.regs, state.pc, ...csrWords(state)], 0x2545f491);
  return regs.toString(16).padStart(8, '0') + mem.toString(16).padStart(8, '0');
}
