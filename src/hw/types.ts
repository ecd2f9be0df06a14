/**
 * Data shapes of one computer's hardware that cross its boundary: I/O operations the guest issues,
 * interrupts the hardware raises (what a primary monitor copies to the backup), and the port to the
 * outside world that devices act on.
 */
import type { InterruptRecord } from '../base/interrupt.js';

export const DEVICE = { CONSOLE: 0, DISK: 1, LEDGER: 2 } as const;
export const IO_OP = { CONNECT: 1, READ: 2, WRITE: 3, DISCONNECT: 4 } as const;
export const IO_STATUS = { ACCEPTED: 0, MALFORMED: -1, NO_DEVICE: -2, NOT_CONNECTED: -3, BAD_BUFFER: -4, TOO_MANY: -5 } as const;
export const RECORD_STATUS = { COMPLETED: 0, DISCONNECTED: 1, ERROR: 2 } as const;
export const DISCONNECTED_TAG = 0xffffffff;
/** The result of a request refused for an older incarnation (spec 9, 10). */
export const REFUSED_RESULT = 0xffffffff;
export const SECTOR = 512;
export const DEVICE_COUNT = Object.keys(DEVICE).length;
/** The sizes of the guest's I/O structures (spec 6): a request block, a completion record, the ring's header. */
export const IORB_BYTES = 32;
export const RECORD_BYTES = 16;
export const RING_HEADER_BYTES = 8;
/** Operations one device may have without a record in the ring yet (more are refused, -5). */
export const MAX_OUTSTANDING = 16;

/** An operation the guest issued and the I/O controller accepted. */
export interface IoOp {
  /** Sequence number assigned at issue; the same on every replica because issue order is deterministic. */
  readonly opId: number;
  readonly op: number;
  readonly device: number;
  readonly tag: number;
  readonly addr: number;
  readonly len: number;
  readonly offset: number;
  /** For WRITE: the buffer's bytes, copied at issue. */
  readonly data?: Uint8Array;
  /** Ledger WRITE only, when non-zero: the IORB's producer id (+24) and sequence number (+28), spec 10. */
  readonly producer?: number;
  readonly seq?: number;
}

/** An interrupt raised by a computer's hardware (Figure 4's "interrupt class" and "data"). */
export type HwInterrupt = InterruptRecord;

/** What a device did to the outside world when asked to write. */
export type WriteEffect = 'written' | 'duplicate' | 'error';

/** What the ledger did with an append (spec 10): appended or absorbed at `index`, or not appended (`result`). */
export type LedgerEffect =
  | { readonly kind: 'appended' | 'duplicate'; readonly index: number }
  | { readonly kind: 'mismatch'; readonly length: number }
  | { readonly kind: 'refused' };

/** The outside world the devices act on: console streams, the shared disk and the ledger. Shared by every computer. */
export interface WorldPort {
  consoleWrite(offset: number, bytes: Uint8Array, by: string): WriteEffect;
  consoleRead(offset: number, len: number): Uint8Array;
  diskWrite(offset: number, bytes: Uint8Array, by: string): WriteEffect;
  diskRead(offset: number, len: number): Uint8Array;
  ledgerAppend(bytes: Uint8Array, producer: number, seq: number, by: string): LedgerEffect;
  /** The oldest incarnation the devices accept (spec 9; 0 until an arbiter numbers one). */
  readonly incarnation: number;
  /** Records a request refused because its incarnation is older than `incarnation`: it is not performed. */
  refuse(op: IoOp, incarnation: number, by: string): void;
  /** Entry `index` of the ledger, or undefined past its end. */
  ledgerEntry(index: number): Uint8Array | undefined;
  readonly ledgerLength: number;
}
