/**
 * What a computer's fail-stop leaves behind, a pair's and a group's alike: where its monitor and computer stood,
 * and Rule 3, which settles each operation its devices had in flight as performed or not.
 */
import type { IoOp } from '../hw/types.js';
import type { Monitor } from '../vmm/monitor.js';
import type { FailureRecord } from './pair-types.js';

/** The figures of a failure record that the failed computer gives (read before its devices abandon their operations). */
export function failedFigures(m: Monitor): Omit<FailureRecord, 'side' | 'performedOpIds'> {
  const c = m.computer;
  return {
    instret: c.cpu.state.instret,
    events: m.state.events,
    epoch: m.state.epoch,
    outstanding: c.io.outstanding(),
    inFlight: c.devices.inFlight().length,
    inFlightOpIds: c.devices.inFlight().map((o) => o.opId),
  };
}

/** Rule 3: each operation the failed computer's devices had in flight may or may not have been performed. Returns the ids of those performed. */
export function abandonInFlight(m: Monitor, performs: (op: IoOp) => boolean): number[] {
  const performed: number[] = [];
  m.computer.devices.abandon((op) => {
    const yes = performs(op);
    if (yes) performed.push(op.opId);
    return yes;
  });
  return performed;
}
