/** What a group records of each failure: where the failed replica stood, and the list element it answers to. */
import { formatFailureStep, type FailureStep } from './failure-sequence.js';
import type { GroupFailure, Replica } from './group-types.js';
import { failedFigures } from './fail-stop.js';

/** A replica that fail-stopped (its monitor and computer as they were at that moment). */
export function failureOf(
  r: Replica,
  rank: number,
  side: 'primary' | 'backup',
  backupsAlive: number,
  step: FailureStep | undefined,
): GroupFailure {
  return {
    backupsAlive, // besides the failed replica, which has left the members already
    side,
    name: r.name,
    rank,
    step: formatFailureStep(step ?? { rank, point: { kind: 'instruction', n: r.monitor.computer.cpu.state.instret } }),
    ...failedFigures(r.monitor),
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
