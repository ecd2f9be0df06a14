/**
 * The I/O operations of one computer as async slices: from issue (b), through the device's completion (n,
 * primary only: the backup's devices do nothing), to the delivery of the record into the guest's ring (e).
 * A DISCONNECTED record (step 314 of a takeover) is an instant, and it ends the device's open operations.
 */
import type { Computer } from '../hw/computer.js';
import { DEVICE, IO_OP, RECORD_STATUS, type IoOp } from '../hw/types.js';
import type { TraceRecorder } from './trace-recorder.js';

const OP_NAMES: Record<number, string> = {
  [IO_OP.CONNECT]: 'CONNECT',
  [IO_OP.READ]: 'READ',
  [IO_OP.WRITE]: 'WRITE',
  [IO_OP.DISCONNECT]: 'DISCONNECT',
};
const DEVICE_NAMES: Record<number, string> = { [DEVICE.CONSOLE]: 'console', [DEVICE.DISK]: 'disk' };
const STATUS_NAMES: Record<number, string> = {
  [RECORD_STATUS.COMPLETED]: 'COMPLETED',
  [RECORD_STATUS.DISCONNECTED]: 'DISCONNECTED',
  [RECORD_STATUS.ERROR]: 'ERROR',
};

export const opName = (op: IoOp): string =>
  `${OP_NAMES[op.op] ?? `op ${op.op}`} ${DEVICE_NAMES[op.device] ?? `device ${op.device}`} #${op.opId}`;

/**
 * Watches `computer`'s I/O controller; `side` keeps the async ids of two computers apart. `disconnected` hears of the
 * operations a DISCONNECTED record ended. Returns the finisher.
 */
export function traceIo(
  rec: TraceRecorder,
  computer: Computer,
  tid: number,
  side: number,
  disconnected?: (ops: readonly IoOp[]) => void,
): () => void {
  /** Operations drawn and not yet delivered, by operation id. */
  const open = new Map<number, IoOp>();
  const id = (opId: number): number => opId * 4 + side;
  const close = (op: IoOp, args: Record<string, unknown>): void => {
    open.delete(op.opId);
    rec.async('e', tid, 'io', id(op.opId), opName(op), args);
  };
  computer.io.observer = {
    onIssued(op) {
      if (!rec.admit('io')) return;
      open.set(op.opId, op);
      rec.async('b', tid, 'io', id(op.opId), opName(op), { opId: op.opId, tag: op.tag >>> 0, len: op.len, offset: op.offset });
    },
    onCompleted(intrs) {
      for (const intr of intrs) {
        const op = intr.class === 'io' ? open.get(intr.opId) : undefined;
        if (op && intr.class === 'io')
          rec.async('n', tid, 'io', id(op.opId), opName(op), {
            step: 'completed by the device',
            status: STATUS_NAMES[intr.status],
            result: intr.result,
          });
      }
    },
    onDelivered(intr, accepted, ended) {
      if (intr.opId < 0) {
        if (intr.status === RECORD_STATUS.DISCONNECTED) {
          rec.instant(tid, `DISCONNECTED ${DEVICE_NAMES[intr.device] ?? intr.device}`, {
            device: intr.device,
            ended: ended.map((o) => o.opId),
          });
          for (const op of ended) if (open.has(op.opId)) close(op, { outcome: 'DISCONNECTED: to be reissued' });
          if (ended.length > 0) disconnected?.(ended);
        }
        return;
      }
      const op = open.get(intr.opId);
      if (op)
        close(op, {
          outcome: accepted ? `record ${STATUS_NAMES[intr.status] ?? intr.status} delivered` : 'record ignored',
          result: intr.result,
        });
    },
  };
  return () => {
    for (const op of [...open.values()]) close(op, { outcome: 'no record by the end of the run' });
    computer.io.observer = undefined;
  };
}
