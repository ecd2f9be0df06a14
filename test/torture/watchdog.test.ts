/** Time limits scaled by the load: the factor's bounds, and a watchdog that fires once, or never when cancelled. */
import { describe, expect, it } from 'vitest';
import { MAX_LOAD_FACTOR, loadFactor, watchdog } from '../../src/torture/watchdog.js';

describe('watchdog', () => {
  it('stretches a limit by at least 1 and at most MAX_LOAD_FACTOR', () => {
    const f = loadFactor();
    expect(f).toBeGreaterThanOrEqual(1);
    expect(f).toBeLessThanOrEqual(MAX_LOAD_FACTOR);
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
