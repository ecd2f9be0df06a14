/** The shapes through which the outside meets a monitor: its channel ends, its observers, its snapshot extras, its state as read. */
import type { IoOp } from '../hw/types.js';
import type { PrimaryToBackup, EpochEndReason } from '../channel/protocol.js';
import type { Channel } from '../channel/channel.js';
import type { EventKind, MonitorState } from './state.js';

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
