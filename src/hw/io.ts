/**
 * The guest-visible, deterministic part of I/O (spec section 6): validating I/O request blocks, assigning
 * operation ids in issue order, connection state (Rule 0), outstanding operations, and producing completion
 * records into the guest's ring (with READ data entering RAM at that same moment). Its state is plain data.
 * Both replicas of a pair run identical controllers: everything here depends only on what the guest did
 * and on what was delivered, never on a device or a clock.
 *
 * Choices where the spec leaves room (all tested):
 *  - an IORB that is misaligned or not wholly in RAM, an unknown op or a non-zero reserved word: -1
 *    (the ledger's words +24 and +28 are its producer id and sequence number, spec 10: not reserved);
 *  - a ledger WRITE whose offset is not 0 or whose len is not 1..4096: -1 (checked after the device, -2);
 *    a disk READ/WRITE whose offset or len is not a multiple of 512: -1 (checked after the device, -2);
 *  - CONNECT is accepted whatever the connection state (connecting again is harmless) and connects at
 *    issue; DISCONNECT needs a connection (-3) and closes it at issue; READ/WRITE need a connection (-3);
 *  - buffer: [addr, addr+len) must lie in RAM (-4), for READ and WRITE only;
 *  - at most MAX_OUTSTANDING operations per device (-5);
 *  - a guest DISCONNECT completes like any operation (a COMPLETED record with its tag); operations still
 *    outstanding on the device complete normally. A DISCONNECTED record (opId -1, from a failover) drops
 *    every outstanding operation of the device, closes it, and later completions of dropped operations
 *    are ignored;
 *  - records wait in the controller while the ring is full or not set up (xioqn not a power of two, ring
 *    not 4-byte aligned or not wholly in RAM); `retry` tries again.
 */
import { MIP } from '../../isa/csrs.js';
import type { Cpu } from '../cpu/cpu.js';
import { LEDGER_MAX_ENTRY } from './ledger.js';
import {
  DEVICE,
  DEVICE_COUNT,
  IO_OP,
  IO_STATUS,
  IORB_BYTES,
  MAX_OUTSTANDING,
  RECORD_BYTES,
  RECORD_STATUS,
  RING_HEADER_BYTES,
  SECTOR,
  type HwInterrupt,
  type IoOp,
} from './types.js';

/** A record waiting for room in the ring, with the READ data that enters RAM with it. */
export interface WaitingRecord {
  readonly tag: number;
  readonly status: number;
  readonly result: number;
  readonly device: number;
  readonly addr?: number;
  readonly data?: Uint8Array;
}

export interface IoState {
  nextOpId: number;
  /** Per device: 1 while connected. */
  connected: number[];
  /** Accepted operations without a record yet, in issue order. */
  outstanding: IoOp[];
  waiting: WaitingRecord[];
  /** Records produced into the ring so far. */
  produced: number;
}

export function createIoState(): IoState {
  return { nextOpId: 1, connected: new Array<number>(DEVICE_COUNT).fill(0), outstanding: [], waiting: [], produced: 0 };
}

type Issued = { status: number; op?: IoOp };

/** Operations of `device` that have no record in the ring yet: outstanding, or waiting for room. */
function pendingOn(s: IoState, device: number): number {
  let n = 0;
  for (const o of s.outstanding) if (o.device === device) n++;
  for (const r of s.waiting) if (r.device === device) n++;
  return n;
}

/** Told of an operation's life on one computer (the trace export, `src/debug/trace*.ts`); not part of the state. */
export interface IoObserver {
  /** The controller accepted an operation (both replicas, in the same order). */
  onIssued?(op: IoOp): void;
  /** A device completed operations, or the timer ticked (`Computer.collectDue`). */
  onCompleted?(intrs: readonly HwInterrupt[]): void;
  /** A record reached the guest's ring (or its queue for room); `accepted` is false when it was ignored. `ended`: the
   *  operations a DISCONNECTED record took off the outstanding list (the guest must reissue them). */
  onDelivered?(intr: HwInterrupt & { class: 'io' }, accepted: boolean, ended: readonly IoOp[]): void;
}

export class IoController {
  /** Watches the operations; none by default. */
  observer: IoObserver | undefined;

  constructor(public state: IoState = createIoState()) {}

  /**
   * Validates and accepts the IORB at iorbAddr (the `io` instruction). A WRITE's bytes are copied for the device
   * that performs it; `performed` false (a backup, whose `io` is a no-op) accepts the same operation without them.
   */
  issue(cpu: Cpu, iorbAddr: number, performed = true): Issued {
    if ((iorbAddr & 3) !== 0 || cpu.ramOffset(iorbAddr, IORB_BYTES) < 0) return { status: IO_STATUS.MALFORMED };
    const field = (offset: number): number => cpu.readWord(iorbAddr + offset)!;
    const op = field(0),
      device = field(4),
      tag = field(8),
      addr = field(12),
      len = field(16),
      offset = field(20);
    const producer = field(24),
      seq = field(28);
    const ledgerWrite = device === DEVICE.LEDGER && op === IO_OP.WRITE;
    if (op < IO_OP.CONNECT || op > IO_OP.DISCONNECT || (!ledgerWrite && (producer !== 0 || seq !== 0)))
      return { status: IO_STATUS.MALFORMED };
    if (device >= DEVICE_COUNT) return { status: IO_STATUS.NO_DEVICE };
    const transfer = op === IO_OP.READ || op === IO_OP.WRITE;
    if (transfer && device === DEVICE.DISK && (offset % SECTOR !== 0 || len % SECTOR !== 0)) return { status: IO_STATUS.MALFORMED };
    if (ledgerWrite && (offset !== 0 || len < 1 || len > LEDGER_MAX_ENTRY)) return { status: IO_STATUS.MALFORMED };
    const s = this.state;
    if ((transfer || op === IO_OP.DISCONNECT) && s.connected[device] !== 1) return { status: IO_STATUS.NOT_CONNECTED };
    if (transfer && cpu.ramOffset(addr, len) < 0) return { status: IO_STATUS.BAD_BUFFER };
    // An operation counts until its record is in the ring: records waiting for room count too, so a guest that
    // issues without consuming its records is refused (-5) instead of making the machine hold records without bound.
    if (pendingOn(s, device) >= MAX_OUTSTANDING) return { status: IO_STATUS.TOO_MANY };
    const data = op === IO_OP.WRITE && performed ? cpu.readBytes(addr, len) : undefined;
    const opId = s.nextOpId++;
    // Literals rather than spreads of the optional fields: a spread builds each operation slowly, through a copy.
    const accepted: IoOp =
      producer !== 0 || seq !== 0
        ? { opId, op, device, tag, addr, len, offset, ...(data ? { data } : {}), producer, seq }
        : data
          ? { opId, op, device, tag, addr, len, offset, data }
          : { opId, op, device, tag, addr, len, offset };
    if (op === IO_OP.CONNECT) s.connected[device] = 1;
    if (op === IO_OP.DISCONNECT) s.connected[device] = 0;
    s.outstanding.push(accepted);
    this.observer?.onIssued?.(accepted);
    return { status: IO_STATUS.ACCEPTED, op: accepted };
  }

  /**
   * Delivers one I/O interrupt: its record (and a READ's data) goes into the ring now, or waits for room.
   * Returns false when it was ignored (an operation that is no longer outstanding).
   */
  deliver(cpu: Cpu, intr: HwInterrupt & { class: 'io' }): boolean {
    if (!this.observer) return this.deliverRecord(cpu, intr);
    const disconnected = intr.opId < 0 && intr.status === RECORD_STATUS.DISCONNECTED;
    const ended = disconnected ? this.state.outstanding.filter((o) => o.device === intr.device) : [];
    const accepted = this.deliverRecord(cpu, intr);
    this.observer.onDelivered?.(intr, accepted, ended);
    return accepted;
  }

  private deliverRecord(cpu: Cpu, intr: HwInterrupt & { class: 'io' }): boolean {
    const s = this.state;
    if (intr.opId < 0) {
      if (intr.status === RECORD_STATUS.DISCONNECTED) {
        s.outstanding = s.outstanding.filter((o) => o.device !== intr.device);
        if (intr.device >= 0 && intr.device < DEVICE_COUNT) s.connected[intr.device] = 0;
      }
      s.waiting.push({ tag: intr.tag, status: intr.status, result: intr.result, device: intr.device });
      this.retry(cpu);
      return true;
    }
    const i = s.outstanding.findIndex((o) => o.opId === intr.opId);
    if (i < 0) return false;
    const op = s.outstanding[i]!;
    s.outstanding.splice(i, 1);
    const read = op.op === IO_OP.READ && intr.status === RECORD_STATUS.COMPLETED && intr.data !== undefined;
    const { tag, device } = op;
    const { status, result } = intr;
    s.waiting.push(
      read
        ? { tag, status, result, device, addr: op.addr, data: intr.data!.subarray(0, Math.min(intr.data!.length, op.len)) }
        : { tag, status, result, device },
    );
    this.retry(cpu);
    return true;
  }

  /** Moves waiting records into the ring while it has room; sets mip.MEIP when any was produced. */
  retry(cpu: Cpu): number {
    const s = this.state;
    if (s.waiting.length === 0) return 0;
    const c = cpu.state.csr;
    const base = c.xioq >>> 0;
    const cap = c.xioqn >>> 0;
    if (cap === 0 || (cap & (cap - 1)) !== 0 || (base & 3) !== 0) return 0;
    if (cpu.ramOffset(base, RING_HEADER_BYTES + cap * RECORD_BYTES) < 0) return 0;
    let n = 0;
    while (s.waiting.length > 0) {
      const head = cpu.readWord(base)!;
      const tail = cpu.readWord(base + 4)!;
      if ((tail - head) >>> 0 >= cap) break;
      const r = s.waiting.shift()!;
      if (r.data !== undefined && r.addr !== undefined) cpu.writeBytes(r.addr, r.data);
      const at = base + RING_HEADER_BYTES + (tail & (cap - 1)) * RECORD_BYTES;
      cpu.writeWord(at, r.tag);
      cpu.writeWord(at + 4, r.status);
      cpu.writeWord(at + 8, r.result);
      cpu.writeWord(at + 12, r.device);
      cpu.writeWord(base + 4, (tail + 1) >>> 0);
      s.produced++;
      n++;
    }
    if (n > 0) c.mip = (c.mip | MIP.MEIP) >>> 0;
    return n;
  }

  /** Accepted operations without a record yet, in issue order. */
  outstanding(): IoOp[] {
    return this.state.outstanding.slice();
  }

  /** Devices with an open connection. */
  openDevices(): number[] {
    const out: number[] = [];
    this.state.connected.forEach((c, d) => {
      if (c === 1) out.push(d);
    });
    return out;
  }

  /** The guest-visible state as numbers, for state digests (both replicas must agree on all of it). */
  digestWords(): number[] {
    const s = this.state;
    const words = [s.nextOpId, s.produced, ...s.connected, s.outstanding.length, s.waiting.length];
    for (const o of s.outstanding) words.push(o.opId, o.op, o.device, o.tag, o.len, o.offset);
    for (const r of s.waiting) words.push(r.tag, r.status, r.result, r.device, r.data?.length ?? -1);
    return words;
  }
}
