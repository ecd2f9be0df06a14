/** The shapes through which the outside meets a monitor: its channel ends, its observers, its snapshot extras, its state as read. */
import type { IoOp } from '../hw/types.js';
import type { PrimaryToBackup, EpochEndReason } from '../channel/protocol.js';
import type { Channel } from '../channel/channel.js';
import type { EventKind, MonitorState } from './state.js';
import type { TakeoverReport } from './failover.js';

/** Where deferred traps reached the guest: at an epoch's end, at a privileged `drain`, or at once (Drain_Priv = 0, no protocol). */
export type TrapDeliveryPoint = 'epoch-end' | 'drain' | 'immediate';

/** The channel ends a monitor holds: the primary sends, the backup receives. */
export interface MonitorChannels {
  readonly out?: Channel<PrimaryToBackup>;
  readonly in?: Channel<PrimaryToBackup>;
}

/** Told of what a monitor does; any number may watch one monitor (`observe`). */
export interface MonitorObserver {
  /** Every externally visible action (the failure-point counter, the stepper's log). */
  onEvent?(kind: EventKind, detail: string): void;
  /** Every I/O operation this monitor hands to a real device. */
  onIoStarted?(op: IoOp): void;
  /** Every message that enters the channel. */
  onSent?(m: PrimaryToBackup): void;
  /** Every epoch this monitor ends, after its delivery. */
  onEpochEnd?(epoch: number, reason: EpochEndReason, instret: number): void;
  /** Backup: every message taken from the channel. */
  onReceived?(m: PrimaryToBackup): void;
  /** Deferred traps V1/V2 handed to the guest. */
  onTrapsDelivered?(v1: number, v2: number, at: TrapDeliveryPoint): void;
  /** The guest executed `drain`. */
  onDrain?(instret: number): void;
  /** This computer fail-stopped (`stop`). */
  onStopped?(): void;
  /** This backup took over (Figure 7, steps 308-318), with what the steps did. */
  onTakeover?(report: TakeoverReport): void;
}

/** What a monitor keeps beyond its plain state, for snapshots. */
export interface MonitorExtras {
  readonly stopped: boolean;
  readonly pages?: Uint32Array;
  readonly peerPages?: Uint32Array;
}

export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
/** The monitor's state as the outside sees it. */
export type MonitorView = DeepReadonly<MonitorState>;
