/** How a monitor runs its virtual processor: the knobs of the patent's embodiments, and the ablation switch. */
import { DEFAULTS } from '../base/defaults.js';
import { ShadowError } from '../base/errors.js';

export interface MonitorConfig {
  /** Instructions per epoch: the value loaded into the recovery register at each epoch start. */
  readonly epochLength: number;
  /** Processor status bit Drain_Priv: 1 makes `drain` exit to the monitor (Figure 6). */
  readonly drainPriv: 0 | 1;
  /** The alternate embodiment: a `drain` also ends the epoch, delivering interrupts and traps together. */
  readonly drainEndsEpoch: boolean;
  /** False turns the protocol off (the ablation): interrupts and traps reach the guest the moment they reach its monitor. */
  readonly protocol: boolean;
  /** Each epoch-end message carries a state digest that the backup compares at the same boundary. */
  readonly checkDigests: boolean;
  /**
   * With `checkDigests`: a primary with no backup listening (alone after a takeover, or after its backup
   * failed) skips its epoch digests, which nothing would compare. Its dirty bits stay set until a digest is
   * taken again, so a backup that joins later still gets correct page hashes. For runs that only judge the
   * digests checked by a backup (the fuzzer's `digests` oracle); off by default.
   */
  readonly skipDigestsAlone?: boolean;
  /**
   * Epoch cuts: instruction counts at which an epoch also ends (the recovery register is loaded with less than
   * `epochLength` so that it reaches zero there). A monitor may choose each epoch's length; the fuzzer uses this
   * to put an epoch boundary right after an I/O operation is issued (the epoch phase of one schedule).
   */
  readonly epochCuts?: readonly number[];
}

export const DEFAULT_MONITOR_CONFIG: MonitorConfig = Object.freeze({
  epochLength: DEFAULTS.epochLength,
  drainPriv: 1,
  drainEndsEpoch: false,
  protocol: true,
  checkDigests: false,
});

export function monitorConfig(partial: Partial<MonitorConfig> = {}): MonitorConfig {
  const c = { ...DEFAULT_MONITOR_CONFIG, ...partial };
  if (!Number.isSafeInteger(c.epochLength) || c.epochLength < 1) {
    throw new ShadowError('CONFIG', `epoch length must be a positive integer, got ${c.epochLength}`);
  }
  if (c.drainPriv !== 0 && c.drainPriv !== 1) throw new ShadowError('CONFIG', `Drain_Priv must be 0 or 1, got ${c.drainPriv}`);
  if (c.epochCuts !== undefined) {
    const bad = c.epochCuts.find((n) => !Number.isSafeInteger(n) || n < 1);
    if (bad !== undefined) throw new ShadowError('CONFIG', `epoch cuts must be positive integers, got ${bad}`);
    return Object.freeze({ ...c, epochCuts: Object.freeze([...c.epochCuts].sort((a, b) => a - b)) });
  }
  return Object.freeze(c);
}

/**
 * The recovery register clamped so that it reaches zero at the next epoch cut after `instret` (both replicas
 * clamp at the same counts, so their epochs end at the same instruction). Unchanged without cuts.
 */
export function clampToEpochCut(config: MonitorConfig, instret: number, rr: number): number {
  const cuts = config.epochCuts;
  if (!cuts || rr <= 0) return rr;
  for (const c of cuts) {
    if (c > instret) return c - instret < rr ? c - instret : rr;
  }
  return rr;
}
