import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packRam, unpackRam } from '../../src/hw/ram-image.js';
import { PAGE_BYTES } from '../../src/cpu/state.js';

describe('RAM images', () => {
  it('keep only the pages with a non-zero byte, and unpack to the same bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(16 * PAGE_BYTES - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 40 }), (writes) => {
        const ram = new Uint8Array(16 * PAGE_BYTES);
        for (const [at, v] of writes) ram[at] = v;
        const image = packRam(ram);
        const nonZero = new Set(writes.filter(([at]) => ram[at] !== 0).map(([at]) => Math.floor(at / PAGE_BYTES)));
        expect([...image.pages]).toEqual([...nonZero].sort((a, b) => a - b));
        expect(image.data.length).toBe(nonZero.size * PAGE_BYTES);
        expect(Buffer.compare(unpackRam(image), ram)).toBe(0);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('copy: later writes to the RAM do not reach the image', () => {
    const ram = new Uint8Array(4 * PAGE_BYTES);
    ram[PAGE_BYTES + 5] = 9;
    const image = packRam(ram);
    ram[PAGE_BYTES + 5] = 1;
    expect(unpackRam(image)[PAGE_BYTES + 5]).toBe(9);
  });
});
