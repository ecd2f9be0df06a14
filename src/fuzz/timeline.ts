/**
 * The I/O timeline of a failure-free run: for every operation the primary handed to a device, where it was
 * issued, when its completion reached the primary and when the guest got it; and where each epoch ended.
 * The schedule explorer plans its cases from it, and the window coverage explains what it could not open.
 */
import type { Pair } from '../ft/pair.js';
import { DEVICE, IO_OP } from '../hw/types.js';

export interface OpTimeline {
  readonly opId: number;
  /** `console-write`, `disk-read`, `disk-connect`, ... */
  readonly kind: string;
  /** The primary's instruction count right after the `io` instruction that issued it. */
  readonly issuedAt: number;
  /** The epoch in which it was issued. */
  readonly issueEpoch: number;
  /** The primary's instruction count when its completion reached the primary (undefined: never). */
  completedAt?: number;
  completionEpoch?: number;
  /** The epoch at whose end its completion was delivered to the guest (undefined: never). */
  deliveredEpoch?: number;
}

export interface EpochEnd {
  readonly epoch: number;
  readonly instret: number;
  readonly reason: string;
}

/** The primary right after one of its externally visible actions (event:N is right after the Nth). */
export interface EventMark {
  readonly kind: string;
  /** The epoch it happened in. */
  readonly epoch: number;
  /** Messages queued for the backup and not yet in the channel (it was full). */
  readonly outbox: number;
}

export interface Timeline {
  readonly ops: OpTimeline[];
  readonly epochs: EpochEnd[];
  /** The primary at reset (event:0): its epoch and queued messages (absent: not observed, nothing merges). */
  readonly start?: EventMark;
  /** The primary after each event: `events[N - 1]` is event:N. */
  readonly events?: EventMark[];
}

const DEVICE_NAMES: Record<number, string> = { [DEVICE.CONSOLE]: 'console', [DEVICE.DISK]: 'disk' };
const OP_NAMES: Record<number, string> = {
  [IO_OP.CONNECT]: 'connect',
  [IO_OP.READ]: 'read',
  [IO_OP.WRITE]: 'write',
  [IO_OP.DISCONNECT]: 'disconnect',
};

export function opKind(device: number, op: number): string {
  return `${DEVICE_NAMES[device] ?? `device${device}`}-${OP_NAMES[op] ?? `op${op}`}`;
}

/** Watches the primary of a pair at reset (before it runs) and fills a timeline as it runs. */
export function observeTimeline(pair: Pair): Timeline {
  const P = pair.primary;
  const events: EventMark[] = [];
  const t: Timeline = { ops: [], epochs: [], start: { kind: 'reset', epoch: P.state.epoch, outbox: P.state.outbox.length }, events };
  const byId = new Map<number, OpTimeline>();
  const undelivered: OpTimeline[] = [];
  P.observe({
    onIoStarted: (op) => {
      const o: OpTimeline = {
        opId: op.opId,
        kind: opKind(op.device, op.op),
        issuedAt: P.computer.cpu.state.instret + 1,
        issueEpoch: P.state.epoch,
      };
      t.ops.push(o);
      byId.set(op.opId, o);
    },
    onEvent: (kind, detail) => {
      events.push({ kind, epoch: P.state.epoch, outbox: P.state.outbox.length });
      if (kind !== 'completion-received') return;
      const m = /^op (\d+) /.exec(detail);
      const o = m ? byId.get(Number(m[1])) : undefined;
      if (!o || o.completedAt !== undefined) return;
      o.completedAt = P.computer.cpu.state.instret;
      o.completionEpoch = P.state.epoch;
      undelivered.push(o);
    },
    onEpochEnd: (epoch, reason, instret) => {
      t.epochs.push({ epoch, instret, reason });
      if (reason === 'halt' || reason === 'fault') return;
      for (const o of undelivered.splice(0)) o.deliveredEpoch = epoch;
    },
  });
  return t;
}
