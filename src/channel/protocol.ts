/**
 * Every message that crosses the FIFO channel between the two monitors, declared once.
 * Monitors never invent message shapes inline: they build these.
 *
 * Primary -> backup (Figure 4 and Figure 3, step 204/206 of the patent):
 *  - `interrupt`: a copy of an interrupt the primary's hardware raised during `epoch`, with its data.
 *  - `nondet`: the value the primary read for a nondeterministic CSR (time, cycle, seed); the backup uses
 *    it instead of its own (the HP patent's logged non-deterministic choices).
 *  - `epoch-end`: the primary finished `epoch` and delivered its buffered interrupts and traps; the backup
 *    may now execute it. With equivalence checks on, it carries the primary's state digest at the boundary.
 *
 * The fault monitor's notice is not a channel message: it reaches the backup only after every message
 * sent before the failure has been received (the patent's assumption about channel 106).
 */
import type { InterruptRecord } from '../base/interrupt.js';
/** A copy of an interrupt the primary's hardware raised, as it travels (its shape is base/interrupt.ts's). */
export type InterruptCopy = InterruptRecord;

/** Why an epoch ended. `rr`: the recovery register reached zero; the others end it early at a fixed point. */
export type EpochEndReason = 'rr' | 'drain' | 'wfi' | 'halt' | 'fault';

/** A digest of the guest's state at an epoch boundary (the Sun patent's check of equivalent operation). */
export interface StateDigest {
  /** x0..x31 and pc, so that the first differing register can be named. */
  readonly regs: readonly number[];
  readonly pc: number;
  /** Hash of the CSRs and of the guest-visible I/O state. */
  readonly csrHash: number;
  /** Hash over the per-page hashes of RAM. */
  readonly memHash: number;
  /** Page number -> hash, for the pages written since the previous digest. */
  readonly pages: ReadonlyArray<readonly [page: number, hash: number]>;
}

export type PrimaryToBackup =
  | { readonly kind: 'interrupt'; readonly epoch: number; readonly interrupt: InterruptCopy }
  | { readonly kind: 'nondet'; readonly epoch: number; readonly csr: number; readonly value: number; readonly now: number }
  | {
      readonly kind: 'epoch-end';
      readonly epoch: number;
      /** Instructions the guest had retired at the boundary: the backup must end the epoch at the same count. */
      readonly instret: number;
      readonly reason: EpochEndReason;
      /** The primary's virtual time at the boundary; a backup that takes over never lets its clock read earlier. */
      readonly now: number;
      readonly digest?: StateDigest;
    };

export type MessageKind = PrimaryToBackup['kind'];
export const MESSAGE_KINDS: readonly MessageKind[] = ['interrupt', 'nondet', 'epoch-end'];

/** One line describing a message, for the stepper and for reports. */
export function describeMessage(m: PrimaryToBackup): string {
  switch (m.kind) {
    case 'interrupt': {
      const i = m.interrupt;
      if (i.class === 'timer') return `E${m.epoch} interrupt timer`;
      const data = i.data ? ` +${i.data.length}B` : '';
      return `E${m.epoch} interrupt io dev=${i.device} tag=${i.tag >>> 0} status=${i.status} result=${i.result}${data}`;
    }
    case 'nondet':
      return `E${m.epoch} nondet csr=0x${m.csr.toString(16)} value=${m.value >>> 0}`;
    case 'epoch-end':
      return `E${m.epoch} epoch-end (${m.reason}) instret=${m.instret}${m.digest ? ' +digest' : ''}`;
  }
}

/**
 * State transfer (rebackup, XSHADOW.md section 8): the primary to a joining replica, over the joining
 * replica's own channel, before it becomes an ordinary backup.
 *  - `ram-pages`: pages of guest RAM copied while the guest runs (pre-copy round `round`, from 1); a page
 *    written again after it was sent is sent again in a later round.
 *  - `final-state`: at the boundary after epoch `epoch`: the last pages, and the rest of the state (registers,
 *    CSRs, the monitor's and the I/O controller's state, connections, the clock, the random sources' positions),
 *    as plain data the channel does not interpret. From the next epoch on the replica receives `PrimaryToBackup`.
 */
export type TransferMessage<State = unknown> =
  | {
      readonly kind: 'ram-pages';
      readonly round: number;
      readonly epoch: number;
      readonly pages: ReadonlyArray<readonly [page: number, bytes: Uint8Array]>;
    }
  | {
      readonly kind: 'final-state';
      readonly epoch: number;
      readonly pages: ReadonlyArray<readonly [page: number, bytes: Uint8Array]>;
      readonly state: State;
    };

/** One line describing a transfer message, for reports. */
export function describeTransfer(m: TransferMessage): string {
  const kib = (m.pages.length * 4096) / 1024;
  return m.kind === 'ram-pages'
    ? `E${m.epoch} ram-pages round ${m.round}: ${m.pages.length} pages (${kib} KiB)`
    : `E${m.epoch} final-state: ${m.pages.length} pages (${kib} KiB) + state`;
}
