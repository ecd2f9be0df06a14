/**
 * A monitor's own state, one plain object (so a pair can be snapshotted with structuredClone):
 * Processor_Type, the epoch counter, and what it has buffered for delivery at the epoch's end.
 */
import type { HwInterrupt } from '../hw/types.js';
import type { GuestFault } from '../cpu/types.js';
import type { PrimaryToBackup } from '../channel/protocol.js';

export type Role = 'primary' | 'backup';

/** Externally visible actions of a monitor: the unit in which failure points are counted. */
export type EventKind = 'io-issued' | 'message-sent' | 'completion-received';

export interface NondetValue {
  readonly csr: number;
  readonly value: number;
  readonly now: number;
}

export interface MonitorCounters {
  epochs: number;
  messagesSent: number;
  messagesReceived: number;
  interruptsDelivered: number;
  trapsDelivered: number;
  drains: number;
  ioIssued: number;
  ioNoops: number;
  nondetReads: number;
  /** Interrupts the backup's own hardware raised and the backup ignored. */
  ownInterruptsIgnored: number;
}

export interface MonitorState {
  /** The patent's Processor_Type. */
  role: Role;
  /** The epoch now executing, from 1. */
  epoch: number;
  /** Interrupts to deliver at the end of the current epoch, oldest first. */
  interrupts: HwInterrupt[];
  /** The monitor's copies of V1 and V2 (Figure 5). */
  v1: number;
  v2: number;
  /** Backup: nondeterministic values received for the current epoch, consumed in order. After a takeover: the
   *  failed primary's values for the epoch it failed in, replayed while they last. */
  nondet: NondetValue[];
  /** Backup: the epoch-end message for the current epoch, once received. */
  end: Extract<PrimaryToBackup, { kind: 'epoch-end' }> | undefined;
  /** Backup: the number of the last epoch-end message received. */
  endedThrough: number;
  /** Primary: messages waiting for room in the channel. */
  outbox: PrimaryToBackup[];
  /** Primary: the last virtual time the guest may have seen from the primary. */
  lastPrimaryNow: number;
  /** Externally visible actions so far (failure points count these). */
  events: number;
  halted: { code: number } | undefined;
  fault: GuestFault | undefined;
  /** Set when the replicas are found to differ (digest or epoch boundary mismatch). */
  divergence: { epoch: number; where: string } | undefined;
  counters: MonitorCounters;
}

/** The monitor runs no more: the guest halted or faulted, or the replicas were found to differ. */
export function monitorDone(s: MonitorState): boolean {
  return s.halted !== undefined || s.fault !== undefined || s.divergence !== undefined;
}

export function initialMonitorState(role: Role): MonitorState {
  return {
    role,
    epoch: 1,
    interrupts: [],
    v1: 0,
    v2: 0,
    nondet: [],
    end: undefined,
    endedThrough: 0,
    outbox: [],
    lastPrimaryNow: 0,
    events: 0,
    halted: undefined,
    fault: undefined,
    divergence: undefined,
    counters: {
      epochs: 0,
      messagesSent: 0,
      messagesReceived: 0,
      interruptsDelivered: 0,
      trapsDelivered: 0,
      drains: 0,
      ioIssued: 0,
      ioNoops: 0,
      nondetReads: 0,
      ownInterruptsIgnored: 0,
    },
  };
}
