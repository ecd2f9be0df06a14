/**
 * Transparent failover (Figure 7, steps 306-320): the backup monitor becomes the primary.
 *
 * Called when the backup has executed every epoch whose end it received (the last is X) and the fault
 * monitor has reported the primary's failure, which it does only after every message the primary sent
 * has been received. The backup is then at the boundary between epoch X and X+1, where:
 *  - step 308: Processor_Type becomes primary;
 *  - step 312: the I/O completion interrupts received for epoch X+1 are deleted (and the failed primary's
 *    timer interrupts: the new primary's own timer takes over);
 *  - step 314: a DISCONNECTED interrupt is added for every connection open during epoch X;
 *  - step 318: they are delivered, at this boundary, and from now on I/O is performed for real.
 * The guest's runtime then connects again and reissues every operation without a COMPLETED record
 * (step 320), so that the processor failure looks like an ordinary I/O failure.
 */
import { DISCONNECTED_TAG, RECORD_STATUS, type HwInterrupt } from '../hw/types.js';
import type { Computer } from '../hw/computer.js';
import type { MonitorState } from './state.js';
import { deliverBuffered } from './delivery.js';

export interface TakeoverReport {
  /** The epoch in which the primary failed (X + 1). */
  readonly epoch: number;
  /** Completions of the failed epoch deleted (step 312). */
  readonly deletedCompletions: number;
  /** Devices sent a DISCONNECTED interrupt (step 314). */
  readonly disconnected: readonly number[];
  /** Operations the guest had outstanding at the takeover, which it must reissue. */
  readonly outstanding: number;
  /** Nondeterministic values of the failed epoch kept for replay. */
  readonly replayedValues: number;
}

/** The choices of steps 312 and 314. The patent's are `PATENT_TAKEOVER`; tests and the fuzzer supply flawed ones. */
export interface TakeoverPolicy {
  /** Step 312: true keeps an I/O completion of the failed epoch buffered for epoch X+1 instead of deleting it. */
  keepCompletion(intr: HwInterrupt): boolean;
  /** Step 314: the devices that get a DISCONNECTED interrupt, given those with a connection open. */
  disconnect(open: number[]): number[];
}

export const PATENT_TAKEOVER: TakeoverPolicy = Object.freeze({
  keepCompletion: () => false,
  disconnect: (open: number[]) => open,
});

/**
 * Steps 312-318 on the backup's state, once its role is the primary's (step 308, done by the monitor).
 * A flawed policy that keeps the failed epoch's completions buffers them for epoch X+1, which the new
 * primary now executes itself, and so delivers them at its end: by then they name operation ids that the
 * guest has given to different operations (its reissues), which is why the patent deletes them.
 */
export function takeoverSteps(computer: Computer, s: MonitorState, policy: TakeoverPolicy): TakeoverReport {
  // Step 312: the failed epoch's completions are deleted; only the logged nondeterministic values stay.
  const kept: HwInterrupt[] = [];
  const keptForNextEpoch: HwInterrupt[] = [];
  let deleted = 0;
  for (const intr of s.interrupts) {
    if (intr.class === 'io' && policy.keepCompletion(intr)) keptForNextEpoch.push(intr);
    else deleted++;
  }
  // Step 314: a DISCONNECTED interrupt for every connection open during epoch X.
  const devices = policy.disconnect(computer.io.openDevices());
  for (const device of devices) {
    kept.push({ class: 'io', opId: -1, device, tag: DISCONNECTED_TAG, status: RECORD_STATUS.DISCONNECTED, result: 0 });
  }
  const outstanding = computer.io.outstanding().length;
  s.interrupts = kept;

  // The new primary's hardware: its clock never reads earlier than what the guest saw; interrupts its own
  // hardware raised while it was the backup were ignored, and stay ignored.
  computer.clock.advanceTo(s.lastPrimaryNow);
  s.counters.ownInterruptsIgnored += computer.collectDue().length;

  // Step 318: deliver at this boundary (the end of epoch X), with any traps still buffered.
  deliverBuffered(computer, s);
  s.interrupts.push(...keptForNextEpoch);
  return {
    epoch: s.epoch,
    deletedCompletions: deleted,
    disconnected: devices,
    outstanding,
    replayedValues: s.nondet.length,
  };
}
