import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packRam, ramImagesBytes, unpackRam } from '../../src/hw/ram-image.js';
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
        expect(image.data.length).toBe(nonZero.size);
        expect(image.data.every((p) => p.length === PAGE_BYTES)).toBe(true);
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

  it("share the pages that equal a base image's, and copy only the changed ones", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(32 * PAGE_BYTES - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(32 * PAGE_BYTES - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (before, changes) => {
          const ram = new Uint8Array(32 * PAGE_BYTES);
          for (const [at, v] of before) ram[at] = v;
          const first = packRam(ram);
          const old = ram.slice();
          for (const [at, v] of changes) ram[at] = v;
          const second = packRam(ram, [first]);
          expect(Buffer.compare(unpackRam(second), ram)).toBe(0);
          expect(Buffer.compare(unpackRam(first), old)).toBe(0);
          const changed = new Set<number>();
          for (let p = 0; p < 32; p++) {
            const a = old.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES);
            const b = ram.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES);
            if (Buffer.compare(a, b) !== 0 && b.some((x) => x !== 0)) changed.add(p);
          }
          // Every stored page of `second` is the base's own buffer unless its bytes changed.
          second.pages.forEach((p, i) => {
            const j = first.pages.indexOf(p);
            if (changed.has(p) || j < 0) expect(second.data[i]).not.toBe(first.data[j]);
            else expect(second.data[i]).toBe(first.data[j]);
          });
          expect(ramImagesBytes([first, second])).toBe(
            (first.pages.length + changed.size + second.pages.filter((p) => !first.pages.includes(p) && !changed.has(p)).length) *
              PAGE_BYTES,
          );
        },
      ),
      { seed: 12, numRuns: 150 },
    );
  });

  it('ignore a base of another RAM size', () => {
    const small = new Uint8Array(2 * PAGE_BYTES).fill(7);
    const big = new Uint8Array(4 * PAGE_BYTES).fill(7);
    const a = packRam(small);
    const b = packRam(big, [a]);
    expect(b.data.some((p) => a.data.includes(p))).toBe(false);
    expect(Buffer.compare(unpackRam(b), big)).toBe(0);
  });
});
