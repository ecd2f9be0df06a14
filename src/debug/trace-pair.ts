/**
 * The trace of a pair, built from observers only (the monitors' `observe`, the I/O controllers' observer): one
 * track per replica with its epochs as slices and its I/O operations, one track for the channel with its
 * queue length, each message as a flow arrow from the primary's send to the backup's receive, and instants for
 * deferred-trap deliveries, drains, the primary's fail-stop and the takeover's steps 308-320 (Figure 7).
 */
import type { Pair } from '../ft/pair.js';
import type { Monitor } from '../vmm/monitor.js';
import type { IoOp } from '../hw/types.js';
import { hex8 } from '../base/format.js';
import { TraceRecorder, EpochTrack } from './trace-recorder.js';
import { traceIo, opName } from './trace-io.js';

const PRIMARY = 1;
const BACKUP = 2;
const CHANNEL = 3;

export const PAIR_CLOCK = "instructions retired by both computers together, in the pair's schedule (1 instruction = 1 us)";

/** Starts tracing `pair` (before it runs); `finish` ends the open slices and returns the recorder. */
export function tracePair(pair: Pair, limit?: number): { finish(): TraceRecorder } {
  const work = (): number => pair.primary.computer.cpu.state.instret + pair.backup.computer.cpu.state.instret;
  const rec = new TraceRecorder(work, PAIR_CLOCK, limit);
  rec.track(PRIMARY, 'primary', 0, 'shadowvm pair');
  rec.track(BACKUP, 'backup', 1);
  rec.track(CHANNEL, 'channel', 2);
  /** Messages in the channel, oldest first: the flow id and the index of its start event (none when not drawn). */
  const inFlight: { id: number; start: number | undefined }[] = [];
  let nextFlow = 1;
  const queue = (): void => {
    if (rec.admit('message')) rec.counter(CHANNEL, 'channel queue', { messages: inFlight.length });
  };
  /** Per replica: the operations a DISCONNECTED record ended, whose reissue is step 320. */
  const toReissue: IoOp[][] = [[], []];
  const finishers = [
    traceIo(rec, pair.primary.computer, PRIMARY, 1, (ops) => toReissue[0]!.push(...ops)),
    traceIo(rec, pair.backup.computer, BACKUP, 2, (ops) => toReissue[1]!.push(...ops)),
  ];
  const tracks = [watch(pair.primary, PRIMARY, toReissue[0]!), watch(pair.backup, BACKUP, toReissue[1]!)];
  tracks[0]!.start(1);

  function watch(m: Monitor, tid: number, toReissue: IoOp[]): EpochTrack {
    const epochs = new EpochTrack(rec, tid);
    m.observe({
      onSent(msg) {
        const id = nextFlow++;
        let start: number | undefined;
        if (rec.admit('message')) {
          epochs.ensureSlice('flushing the channel');
          start = rec.flow('s', tid, id, msg.kind);
        }
        inFlight.push({ id, start });
        queue();
      },
      onReceived(msg) {
        epochs.start(msg.epoch);
        const sent = inFlight.shift();
        if (sent?.start !== undefined) rec.flow('f', tid, sent.id, msg.kind);
        queue();
      },
      onEpochEnd(epoch, reason, instret) {
        epochs.end(epoch, { reason, instret });
        if (m.role === 'primary' && !m.done && !m.stopped) epochs.start(epoch + 1);
      },
      onTrapsDelivered(v1, v2, at) {
        if (rec.admit('trap')) rec.instant(tid, `deferred traps delivered (${at})`, { V1: hex8(v1), V2: hex8(v2) });
      },
      onDrain(instret) {
        if (rec.admit('drain')) rec.instant(tid, 'drain', { instret });
      },
      onStopped() {
        rec.instant(tid, `${m.role} fail-stops`, { instret: m.computer.cpu.state.instret, epoch: m.state.epoch }, 'g');
        epochs.stop({ failed: true });
      },
      onTakeover(r) {
        rec.instant(tid, '306 the fault monitor reports the failure', { epoch: r.epoch }, 'g');
        rec.instant(tid, '308 Processor_Type = primary', { epoch: r.epoch });
        rec.instant(tid, `312 ${r.deletedCompletions} completion(s) of epoch ${r.epoch} deleted`, { deleted: r.deletedCompletions });
        rec.instant(tid, `314 DISCONNECTED for ${r.disconnected.length} device(s)`, { devices: [...r.disconnected] });
        rec.instant(tid, '318 delivered at this boundary; I/O is performed from now on', {
          outstanding: r.outstanding,
          replayedValues: r.replayedValues,
        });
        epochs.start(r.epoch);
      },
      onIoStarted(op) {
        const i = toReissue.findIndex((o) => o.device === op.device && o.op === op.op && o.offset === op.offset && o.len === op.len);
        if (i < 0) return;
        toReissue.splice(i, 1);
        rec.instant(tid, `320 the guest reissues ${opName(op)}`, { opId: op.opId, stillToReissue: toReissue.length });
      },
    });
    return epochs;
  }

  return {
    finish() {
      for (const f of finishers) f();
      // Messages still in the channel (or lost with a failed computer) have no arrival to point to.
      for (const m of inFlight) if (m.start !== undefined) rec.remove(m.start);
      if (inFlight.length > 0) rec.instant(CHANNEL, `${inFlight.length} message(s) never received`, { messages: inFlight.length });
      for (const t of tracks) t.stop({ end: 'end of the run' });
      rec.closeAll();
      return rec;
    },
  };
}
