/**
 * Data shapes of one computer's hardware that cross its boundary: I/O operations the guest issues,
 * interrupts the hardware raises (what a primary monitor copies to the backup), and the port to the
 * outside world that devices act on.
 */
import type { InterruptRecord } from '../base/interrupt.js';

export const DEVICE = { CONSOLE: 0, DISK: 1 } as const;
export const IO_OP = { CONNECT: 1, READ: 2, WRITE: 3, DISCONNECT: 4 } as const;
export const IO_STATUS = { ACCEPTED: 0, MALFORMED: -1, NO_DEVICE: -2, NOT_CONNECTED: -3, BAD_BUFFER: -4, TOO_MANY: -5 } as const;
export const RECORD_STATUS = { COMPLETED: 0, DISCONNECTED: 1, ERROR: 2 } as const;
export const DISCONNECTED_TAG = 0xffffffff;
export const SECTOR = 512;

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
}

/** An interrupt raised by a computer's hardware (Figure 4's "interrupt class" and "data"). */
export type HwInterrupt = InterruptRecord;

/** What a device did to the outside world when asked to write. */
export type WriteEffect = 'written' | 'duplicate' | 'error';

/** The outside world the devices act on: console streams and the shared disk. Shared by both computers of a pair. */
export interface WorldPort {
  consoleWrite(offset: number, bytes: Uint8Array, by: string): WriteEffect;
  consoleRead(offset: number, len: number): Uint8Array;
  diskWrite(offset: number, bytes: Uint8Array, by: string): WriteEffect;
  diskRead(offset: number, len: number): Uint8Array;
}
