/**
 * One computer's real device front-ends (console 0, disk 1, ledger 2): each accepted operation completes after a
 * latency drawn from the computer's device stream (different ranges per device, so completions come out of
 * order), and is performed on the outside world (WorldPort) at its completion time, positionally (spec 6):
 * console READ/WRITE by stream offset, disk by sector; the ledger appends and reads entries (spec 10). `due(now)` returns the completion interrupts, READ
 * data included. A failing computer `abandon`s its in-flight operations: each is performed or not, as the
 * fault model decides (Rule 3), and none completes.
 *
 * Incarnations (spec 9): each operation carries the incarnation its computer held when it started it; at its
 * completion time the world refuses it if the world's incarnation is newer. A refused operation is never
 * performed, completes ERROR with result 0xFFFFFFFF, and tells this computer it was deposed.
 */
import { belowState } from '../base/random.js';
import { DEVICE, IO_OP, RECORD_STATUS, REFUSED_RESULT, type HwInterrupt, type IoOp, type WorldPort } from './types.js';

/** Latency ranges in virtual ns, inclusive. */
export const LATENCY_NS: Readonly<Record<number, readonly [number, number]>> = {
  [DEVICE.CONSOLE]: [2_000, 20_000],
  [DEVICE.DISK]: [30_000, 300_000],
  [DEVICE.LEDGER]: [10_000, 100_000],
};

export interface InFlight {
  readonly op: IoOp;
  /** Virtual time at which it completes. */
  readonly due: number;
  /** The incarnation of its computer when it started. */
  readonly incarnation: number;
}

export interface DevicesState {
  inFlight: InFlight[];
  /** xorshift128 state of the latency stream. */
  rng: Uint32Array;
  /** The incarnation this computer holds (0: none numbered yet; the arbiter numbers winners from 1). */
  incarnation: number;
  /** Set when the world refused one of its operations for an older incarnation: another computer won the arbiter. */
  deposed: boolean;
}

export function createDevicesState(rng: Uint32Array): DevicesState {
  return { inFlight: [], rng, incarnation: 0, deposed: false };
}

type IoInterrupt = HwInterrupt & { class: 'io' };

export class Devices {
  constructor(
    public state: DevicesState,
    public world: WorldPort,
    /** Who the world's effect log names for this computer's writes. */
    readonly name: string,
  ) {}

  /** Schedules an accepted operation to complete after a seeded latency. */
  start(op: IoOp, now: number): void {
    const [lo, hi] = LATENCY_NS[op.device] ?? [1_000, 1_000];
    this.state.inFlight.push({ op, due: now + lo + belowState(this.state.rng, hi - lo + 1), incarnation: this.state.incarnation });
  }

  nextEventTime(): number {
    let t = Infinity;
    for (const f of this.state.inFlight) if (f.due < t) t = f.due;
    return t;
  }

  /** Performs every operation due at `now` (in order of due time, then issue) and returns their completions. */
  due(now: number): IoInterrupt[] {
    const s = this.state;
    if (!s.inFlight.some((f) => f.due <= now)) return [];
    const ready = s.inFlight.filter((f) => f.due <= now).sort((a, b) => a.due - b.due || a.op.opId - b.op.opId);
    s.inFlight = s.inFlight.filter((f) => f.due > now);
    return ready.map((f) => this.perform(f));
  }

  /** This computer won the arbiter: it holds `incarnation` from now on, and so do its requests still in flight. */
  promote(incarnation: number): void {
    this.state.incarnation = incarnation;
    this.state.inFlight = this.state.inFlight.map((f) => ({ ...f, incarnation }));
  }

  inFlight(): IoOp[] {
    return this.state.inFlight.map((f) => f.op);
  }

  /** A failing computer: each in-flight operation is performed on the world or not, as `decide` says; none completes. */
  abandon(decide: (op: IoOp) => boolean): void {
    const list = this.state.inFlight;
    this.state.inFlight = [];
    for (const f of list) if (decide(f.op)) this.perform(f);
  }

  /** Does the operation to the world now, unless its incarnation is older than the world's, and builds its completion. */
  private perform(f: InFlight): IoInterrupt {
    if (f.incarnation >= this.world.incarnation) return this.act(f.op);
    const op = f.op;
    this.world.refuse(op, f.incarnation, this.name);
    this.state.deposed = true;
    return { class: 'io', opId: op.opId, device: op.device, tag: op.tag, status: RECORD_STATUS.ERROR, result: REFUSED_RESULT };
  }

  /** Does the operation to the world (bench/suites/fencing.ts measures `perform` against it). */
  private act(op: IoOp): IoInterrupt {
    const { opId, device, tag } = op;
    const status = RECORD_STATUS.COMPLETED;
    // Literals rather than a spread of the optional field: a spread builds each record slowly, through a copy.
    const done = (result: number, data?: Uint8Array): IoInterrupt =>
      data ? { class: 'io', opId, device, tag, status, result, data } : { class: 'io', opId, device, tag, status, result };
    const error: IoInterrupt = { class: 'io', opId, device, tag, status: RECORD_STATUS.ERROR, result: 0 };
    const w = this.world;
    if (op.op === IO_OP.CONNECT || op.op === IO_OP.DISCONNECT) return done(0);
    if (op.device === DEVICE.LEDGER) return this.ledger(op, done, error);
    const console = op.device === DEVICE.CONSOLE;
    if (!console && op.device !== DEVICE.DISK) return error;
    if (op.op === IO_OP.READ) {
      const data = console ? w.consoleRead(op.offset, op.len) : w.diskRead(op.offset, op.len);
      if (!console && data.length !== op.len) return error;
      return done(data.length, data);
    }
    const bytes = op.data ?? new Uint8Array(0);
    const effect = console ? w.consoleWrite(op.offset, bytes, this.name) : w.diskWrite(op.offset, bytes, this.name);
    return effect === 'error' ? error : done(bytes.length);
  }

  /** Spec 10: READ of an entry (result: its length) or of the length (`len` 0); WRITE appends. */
  private ledger(op: IoOp, done: (result: number, data?: Uint8Array) => IoInterrupt, error: IoInterrupt): IoInterrupt {
    const w = this.world;
    if (op.op === IO_OP.READ) {
      if (op.len === 0) return done(w.ledgerLength);
      const entry = w.ledgerEntry(op.offset);
      return entry ? done(entry.length, entry.subarray(0, op.len)) : error;
    }
    const r = w.ledgerAppend(op.data ?? new Uint8Array(0), op.producer ?? 0, op.seq ?? 0, this.name);
    if (r.kind === 'appended' || r.kind === 'duplicate') return done(r.index);
    return r.kind === 'mismatch' ? { ...error, result: r.length } : error;
  }
}
