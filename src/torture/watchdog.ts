/**
 * Time limits that mean CPU starvation is not a hang. On a loaded machine (a CI runner, other jobs) an
 * input gets a fraction of a core, so a wall-clock limit is scaled by the load: the 1-minute load average
 * per core, at least 1 and at most MAX_LOAD_FACTOR. The watchdog looks again when its time comes, so a
 * load that rises while an input runs extends its limit.
 */
import { availableParallelism, loadavg } from 'node:os';

/** The most a limit is stretched: a run past 20 times its limit is past its bounds whatever the load. */
export const MAX_LOAD_FACTOR = 20;

/** The factor by which a wall-clock limit is stretched now. */
export function loadFactor(): number {
  return Math.min(MAX_LOAD_FACTOR, Math.max(1, loadavg()[0]! / availableParallelism()));
}

/**
 * `ms` stretched by the load factor, in whole milliseconds: `spawnSync`'s timeout must be an integer, and a
 * fractional load made it throw (RangeError ERR_OUT_OF_RANGE, 522600.00000000006) at input 99,1xx of a 100k run.
 */
export function scaledLimit(ms: number, factor = loadFactor()): number {
  return Math.ceil(ms * factor);
}

/** Calls `expire` once `ms` of wall-clock time scaled by the load have passed; returns the function that cancels it. */
export function watchdog(ms: number, expire: () => void): () => void {
  const begun = performance.now();
  let timer: NodeJS.Timeout;
  const check = (): void => {
    const limit = scaledLimit(ms);
    const elapsed = performance.now() - begun;
    if (elapsed >= limit) expire();
    else timer = setTimeout(check, limit - elapsed);
  };
  timer = setTimeout(check, ms);
  return () => clearTimeout(timer);
}
