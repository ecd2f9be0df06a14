/**
 * Rebackup by state transfer (XSHADOW.md section 8), pre-copy style. A new computer joins a running group:
 *  - round 1 copies every non-zero page of the primary's RAM while the guest runs, as many pages per epoch
 *    as the link carries (`bytesPerEpoch`);
 *  - each later round copies the pages written during the round before (the monitor's dirty-page tracking,
 *    `Monitor.takeWrittenPages`), until what is left fits in one epoch's worth of the link (or `maxRounds`);
 *  - the final round, at one epoch boundary: those last pages, and the rest of the state (registers, CSRs, the
 *    monitor's and the I/O controller's state, the connections, the clock, the random sources' positions).
 * Everything travels as `TransferMessage`s (channel/protocol.ts) over the new replica's own channel. From the
 * next epoch on the new replica is an ordinary backup, fed by the primary's fan-out.
 */
import { takeRam, releaseRam } from '../base/ram-pool.js';
import { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup, TransferMessage } from '../channel/protocol.js';
import { Computer, type ComputerSnapshot } from '../hw/computer.js';
import { packRam } from '../hw/ram-image.js';
import { PAGE_BYTES } from '../cpu/state.js';
import { NS_PER_INSTRUCTION } from '../hw/clock.js';
import type { WorldPort } from '../hw/types.js';
import { Monitor, type MonitorExtras, type MonitorPolicies } from '../vmm/monitor.js';
import { initialMonitorState, type MonitorState } from '../vmm/state.js';
import type { RebackupReport } from './rebackup-types.js';

/** The final state: everything but RAM, as plain data. */
export interface FinalState {
  readonly computer: Omit<ComputerSnapshot, 'ram'>;
  readonly monitor: MonitorState;
  readonly extras: MonitorExtras;
}

type Pages = Array<readonly [number, Uint8Array]>;

export interface TransferSettings {
  readonly name: string;
  readonly seed: number;
  readonly bytesPerEpoch: number;
  readonly maxRounds: number;
  readonly lostAtEpoch: number;
  readonly channelCapacity: number;
  readonly world: WorldPort;
  readonly policies?: MonitorPolicies;
}

/** Plain data's size in bytes, roughly as a wire format would carry it (typed arrays by length, numbers as 8). */
export function wireBytes(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 8;
  if (typeof v === 'string') return v.length;
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + wireBytes(x), 0);
  if (typeof v === 'object') return Object.values(v as object).reduce((n: number, x) => n + wireBytes(x), 0);
  return 0;
}

export class StateTransfer {
  readonly channel = new FifoChannel<TransferMessage<FinalState>>(1 << 20);
  private readonly pageCount: number;
  /** Pages still to send in this round, and pages written since this round began. */
  private pending: Uint8Array;
  private written: Uint8Array;
  private pendingCount: number;
  private round = 1;
  private readonly pagesPerRound: number[] = [0];
  private ramBytes = 0;
  private stateBytes = 0;
  /** The final state's size as it was at the start (it changes little). */
  private readonly stateEstimate: number;
  private readonly nonZeroRamBytes: number;
  private readonly startEpoch: number;
  private joinEpoch: number | undefined;
  private pauseEpochs = 0;
  private pauseNs = 0;
  private outcome: RebackupReport['outcome'] = 'running';
  private abortReason: string | undefined;
  /** The joining computer's RAM as it arrives. */
  private ram: Uint8Array | undefined;

  constructor(
    private readonly source: Monitor,
    private readonly s: TransferSettings,
  ) {
    const src = source.computer.cpu.state.ram;
    this.pageCount = src.length / PAGE_BYTES;
    this.pending = new Uint8Array(this.pageCount);
    this.written = new Uint8Array(this.pageCount);
    const words = new Int32Array(src.buffer, src.byteOffset, src.length >> 2);
    let n = 0;
    for (let p = 0; p < this.pageCount; p++) {
      for (let w = p * (PAGE_BYTES >> 2), end = w + (PAGE_BYTES >> 2); w < end; w++) {
        if (words[w] !== 0) {
          this.pending[p] = 1;
          n++;
          break;
        }
      }
    }
    this.pendingCount = n;
    this.nonZeroRamBytes = n * PAGE_BYTES;
    source.takeWrittenPages(new Uint8Array(this.pageCount)); // from now on, track what the guest writes
    this.ram = takeRam(src.length);
    this.startEpoch = source.state.epoch - 1;
    this.stateEstimate = wireBytes(this.finalState());
  }

  get name(): string {
    return this.s.name;
  }

  /**
   * At the end of one of the primary's epochs: one epoch's worth of pages, or the final state. Returns the new
   * replica's monitor and channel when it has joined at this boundary.
   */
  atBoundary(): { monitor: Monitor; input: FifoChannel<PrimaryToBackup> } | undefined {
    if (this.outcome !== 'running') return undefined;
    this.source.takeWrittenPages(this.written);
    if (this.pendingCount === 0) {
      const next = this.written;
      let n = 0;
      for (let p = 0; p < this.pageCount; p++) n += next[p]!;
      const fits = n * PAGE_BYTES + this.stateEstimate <= this.s.bytesPerEpoch || this.round >= this.s.maxRounds;
      // The final state goes at a boundary where nothing of the epoch before is still queued for the backups.
      if (fits && this.source.state.outbox.length === 0) return this.final(next, n);
      this.round++;
      this.pagesPerRound.push(0);
      this.pending = next;
      this.pendingCount = n;
      this.written = new Uint8Array(this.pageCount);
    }
    this.sendBatch();
    return undefined;
  }

  /** Stops the transfer: the replica never joins. */
  abort(reason: string): void {
    if (this.outcome !== 'running') return;
    this.outcome = 'aborted';
    this.abortReason = reason;
    if (this.ram) releaseRam(this.ram);
    this.ram = undefined;
  }

  report(): RebackupReport {
    return {
      name: this.s.name,
      lostAtEpoch: this.s.lostAtEpoch,
      startEpoch: this.startEpoch,
      joinEpoch: this.joinEpoch,
      outcome: this.outcome,
      abortReason: this.abortReason,
      rounds: this.round,
      pagesPerRound: this.pagesPerRound.slice(),
      ramBytes: this.ramBytes,
      stateBytes: this.stateBytes,
      nonZeroRamBytes: this.nonZeroRamBytes,
      pauseEpochs: this.pauseEpochs,
      pauseNs: this.pauseNs,
      epochsToProtection: this.joinEpoch === undefined ? undefined : this.joinEpoch - this.s.lostAtEpoch,
    };
  }

  private copyPages(flags: Uint8Array, max: number): Pages {
    const src = this.source.computer.cpu.state.ram;
    const out: Pages = [];
    for (let p = 0; p < this.pageCount && out.length < max; p++) {
      if (flags[p] === 0) continue;
      flags[p] = 0;
      out.push([p, src.slice(p * PAGE_BYTES, (p + 1) * PAGE_BYTES)]);
    }
    this.ramBytes += out.length * PAGE_BYTES;
    this.pagesPerRound[this.pagesPerRound.length - 1]! += out.length;
    return out;
  }

  private sendBatch(): void {
    const max = Math.max(1, Math.floor(this.s.bytesPerEpoch / PAGE_BYTES));
    const pages = this.copyPages(this.pending, max);
    this.pendingCount -= pages.length;
    this.channel.trySend({ kind: 'ram-pages', round: this.round, epoch: this.source.state.epoch - 1, pages });
    this.receive();
  }

  private final(next: Uint8Array, n: number): { monitor: Monitor; input: FifoChannel<PrimaryToBackup> } {
    this.round++;
    this.pagesPerRound.push(0);
    const pages = this.copyPages(next, n);
    const state = this.finalState();
    this.stateBytes = wireBytes(state);
    const epoch = this.source.state.epoch - 1;
    this.channel.trySend({ kind: 'final-state', epoch, pages, state });
    this.pauseEpochs = (pages.length * PAGE_BYTES + this.stateBytes) / this.s.bytesPerEpoch;
    this.holdSource();
    this.joinEpoch = epoch;
    this.outcome = 'joined';
    return this.receive()!;
  }

  /**
   * The guest holds at this boundary while the final round crosses the link: its computer's time moves on by
   * the pause (the epoch's instructions' worth of time, times the pause in epochs) with no instruction run, as
   * real hardware stopped for the transfer would see it. The clock's readings, the timer and the devices'
   * completions all see the jump; the backups learn of it as they learn of every time the primary reads.
   */
  private holdSource(): void {
    const c = this.source.computer;
    const before = c.now();
    c.clock.advanceTo(before + Math.ceil(this.pauseEpochs * this.source.config.epochLength * NS_PER_INSTRUCTION));
    this.pauseNs = c.now() - before;
  }

  /**
   * Everything but RAM. The page hashes of digest checking are not sent: the new replica hashes the RAM it
   * received, which is the primary's.
   */
  private finalState(): FinalState {
    const computer = this.source.computer.stateWithoutRam();
    return {
      // A backup performs no I/O: nothing of the primary's in flight at its devices comes along.
      computer: { ...computer, name: this.s.name, seed: this.s.seed, devices: { ...computer.devices, inFlight: [] } },
      monitor: backupState(this.source.stateCopy()),
      extras: { stopped: false },
    };
  }

  /** The joining side: applies what arrived; after the final state, the new backup. */
  private receive(): { monitor: Monitor; input: FifoChannel<PrimaryToBackup> } | undefined {
    const ram = this.ram!;
    for (let m = this.channel.receive(); m; m = this.channel.receive()) {
      for (const [p, bytes] of m.pages) ram.set(bytes, p * PAGE_BYTES);
      if (m.kind !== 'final-state') continue;
      const computer = Computer.restore({ ...m.state.computer, ram: packRam(ram) }, this.s.world);
      releaseRam(ram);
      this.ram = undefined;
      const input = new FifoChannel<PrimaryToBackup>(this.s.channelCapacity);
      const monitor = new Monitor(computer, this.source.config, m.state.monitor, { in: input }, this.s.policies, m.state.extras);
      return { monitor, input };
    }
    return undefined;
  }
}

/** The primary's monitor state at a boundary, as a backup's that has just executed that epoch. */
function backupState(s: MonitorState): MonitorState {
  return {
    ...s,
    role: 'backup',
    interrupts: [],
    nondet: [],
    end: undefined,
    endedThrough: s.epoch - 1,
    outbox: [],
    events: 0,
    counters: initialMonitorState('backup').counters,
  };
}
