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
  return Object.freeze(c);
}
