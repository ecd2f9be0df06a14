/**
 * The trace of one computer with no monitor (`shadowvm run --trace`): one track with the run as a slice and its
 * I/O operations from issue through completion to delivery. Bare mode has no epochs, channel or takeover.
 */
import type { Computer } from '../hw/computer.js';
import { TraceRecorder } from './trace-recorder.js';
import { traceIo } from './trace-io.js';

export const BARE_CLOCK = 'instructions retired by the computer (1 instruction = 1 us)';

export function traceComputer(computer: Computer, limit?: number): { finish(): TraceRecorder } {
  const rec = new TraceRecorder(() => computer.cpu.state.instret, BARE_CLOCK, limit);
  rec.track(1, 'computer', 0, 'shadowvm run');
  rec.begin(1, 'run');
  const io = traceIo(rec, computer, 1, 1);
  return {
    finish() {
      io();
      rec.closeAll({ instret: computer.cpu.state.instret });
      return rec;
    },
  };
}
