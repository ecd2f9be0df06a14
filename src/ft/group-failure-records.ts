/** What a group records of each failure: where the failed replica stood, and the list element it answers to. */
import { formatFailureStep, type FailureStep } from './failure-sequence.js';
import type { GroupFailure, Replica } from './group-types.js';

/** A replica that fail-stopped (its monitor and computer as they were at that moment). */
export function failureOf(
  r: Replica,
  rank: number,
  side: 'primary' | 'backup',
  backupsAlive: number,
  step: FailureStep | undefined,
): GroupFailure {
  const m = r.monitor;
  const c = m.computer;
  return {
    backupsAlive, // besides the failed replica, which has left the members already
    side,
    name: r.name,
    rank,
    step: formatFailureStep(step ?? { rank, point: { kind: 'instruction', n: c.cpu.state.instret } }),
    instret: c.cpu.state.instret,
    events: m.state.events,
    epoch: m.state.epoch,
    outstanding: c.io.outstanding(),
    inFlight: c.devices.inFlight().length,
    inFlightOpIds: c.devices.inFlight().map((o) => o.opId),
  };
}

/**
 * The replica a rebackup was bringing in failed during its transfer. It has run nothing and has no devices:
 * its figures are the primary's, the guest's timeline, and it had nothing outstanding.
 */
export function joiningFailureOf(
  name: string,
  primary: Replica,
  rank: number,
  events: number,
  step: FailureStep | undefined,
): GroupFailure {
  const m = primary.monitor;
  return {
    backupsAlive: rank - 1,
    side: 'joining',
    name,
    rank,
    step: formatFailureStep(step ?? { rank: 'joining', point: { kind: 'instruction', n: m.computer.cpu.state.instret } }),
    instret: m.computer.cpu.state.instret,
    events,
    epoch: m.state.epoch,
    outstanding: [],
    inFlight: 0,
    inFlightOpIds: [],
  };
}
