/** Time limits scaled by the load: the factor's bounds, and a watchdog that fires once, or never when cancelled. */
import { describe, expect, it } from 'vitest';
import { MAX_LOAD_FACTOR, loadFactor, scaledLimit, watchdog } from '../../src/torture/watchdog.js';

describe('watchdog', () => {
  it('stretches a limit by at least 1 and at most MAX_LOAD_FACTOR', () => {
    const f = loadFactor();
    expect(f).toBeGreaterThanOrEqual(1);
    expect(f).toBeLessThanOrEqual(MAX_LOAD_FACTOR);
  });

  it('gives a scaled limit in whole milliseconds, as spawnSync requires (a load of 3.4839 on 2 cores threw there)', () => {
    expect(300_000 * 1.7420000000000002).not.toBe(522_600); // the product the campaign passed
    expect(scaledLimit(300_000, 1.7420000000000002)).toBe(522_601);
    expect(scaledLimit(30_000, 1.00001)).toBe(30_001);
    expect(Number.isInteger(scaledLimit(1000))).toBe(true);
  });

  it('fires once, no sooner than its limit; a cancelled one never fires', async () => {
    const fired: number[] = [];
    const begun = performance.now();
    watchdog(5, () => fired.push(performance.now() - begun));
    const cancel = watchdog(5, () => fired.push(-1));
    cancel();
    await new Promise((r) => setTimeout(r, 5 * MAX_LOAD_FACTOR + 200));
    expect(fired.length).toBe(1);
    expect(fired[0]).toBeGreaterThanOrEqual(4.5);
  });
});
