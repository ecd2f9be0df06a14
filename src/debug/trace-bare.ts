/**
 * The trace of one computer with no monitor (`shadowvm run --trace`): one track with the run as a slice, its
 * I/O operations from issue through completion to delivery, and instants for deferred-trap deliveries and
 * drains. Bare mode has no epochs, channel or takeover.
 */
import type { Computer } from '../hw/computer.js';
import { TraceRecorder } from './trace-recorder.js';
import { traceIo } from './trace-io.js';
import { hex8 } from '../base/format.js';

export const BARE_CLOCK = 'instructions retired by the computer (1 instruction = 1 us)';

export function traceComputer(computer: Computer, limit?: number): { finish(): TraceRecorder } {
  const rec = new TraceRecorder(() => computer.cpu.state.instret, BARE_CLOCK, limit);
  rec.track(1, 'computer', 0, 'shadowvm run');
  rec.begin(1, 'run');
  const io = traceIo(rec, computer, 1, 1);
  computer.bareObserver = {
    onDeferred: (v1, v2) => {
      if (rec.admit('trap')) rec.instant(1, 'deferred traps delivered', { V1: hex8(v1), V2: hex8(v2) });
    },
    onDrain: () => {
      if (rec.admit('drain')) rec.instant(1, 'drain', { instret: computer.cpu.state.instret });
    },
  };
  return {
    finish() {
      computer.bareObserver = undefined;
      io();
      rec.closeAll({ instret: computer.cpu.state.instret });
      return rec;
    },
  };
}
