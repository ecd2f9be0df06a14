import { describe, expect, it } from 'vitest';
import { POOL_MAX_BYTES, pooledRam, pooledRamBytes, releaseRam, takeRam } from '../../src/base/ram-pool.js';
import { Cpu } from '../../src/cpu/cpu.js';

// A size no processor in the suite uses, so that the pool's other users never take these buffers.
const BYTES = 3 * 4096 * 7;

describe('the RAM pool', () => {
  it('clears only the pages a released buffer says were written, and the whole buffer when it does not say', () => {
    const a = takeRam(BYTES);
    a.fill(7, 4096, 8192); // page 1, which the release names
    const written = new Uint8Array(BYTES / 4096);
    written[1] = 1;
    releaseRam(a, written);
    expect(pooledRam(BYTES)).toBe(1);
    const again = takeRam(BYTES);
    expect(again).toBe(a);
    expect(again.every((b) => b === 0)).toBe(true);

    again.fill(9); // every page written, and the release does not say which
    releaseRam(again);
    expect(takeRam(BYTES).every((b) => b === 0)).toBe(true);
  });

  it('gets from a processor the pages it wrote: those marked dirty and those whose dirty bits were cleared', () => {
    const cpu = Cpu.create({ ramBytes: BYTES, trapDelayMax: 0, trapSeed: 1 });
    expect(cpu.writtenPages()!.every((b) => b === 0)).toBe(true);
    expect(cpu.writeBytes(0x8000_0000 + 4096 * 2, new Uint8Array([1, 2, 3]))).toBe(true);
    cpu.state.dirty[2] = 0; // as a digest would, after marking it cleared
    cpu.cleared[2] = 1;
    cpu.writeBytes(0x8000_0000 + 4096 * 5, new Uint8Array([4]));
    expect([...cpu.writtenPages()!].flatMap((b, p) => (b ? [p] : []))).toEqual([2, 5]);
    // RAM handed in from outside is unknown: every page counts.
    expect(new Cpu({ ...cpu.state }).writtenPages()).toBeUndefined();
  });

  it('keeps at most POOL_MAX_BYTES over all sizes, dropping the sizes handed back least lately', () => {
    const MiB = 1024 * 1024;
    const sizes = Array.from({ length: 20 }, (_, k) => 8 * MiB + 4096 * (k + 1)); // 20 sizes of about 8 MiB: 160 MiB
    for (const size of sizes) releaseRam(new Uint8Array(size));
    expect(pooledRamBytes()).toBeLessThanOrEqual(POOL_MAX_BYTES);
    expect(pooledRam(sizes.at(-1)!)).toBe(1);
    expect(pooledRam(sizes[0]!)).toBe(0);
    expect(sizes.filter((s) => pooledRam(s) === 1).length).toBe(Math.floor(POOL_MAX_BYTES / sizes.at(-1)!));
    // A buffer larger than the whole bound is not kept, and drops nothing.
    const before = pooledRamBytes();
    releaseRam(new Uint8Array(POOL_MAX_BYTES + 4096));
    expect([pooledRam(POOL_MAX_BYTES + 4096), pooledRamBytes()]).toEqual([0, before]);
    // Taking a pooled buffer gives its bytes back to the bound.
    takeRam(sizes.at(-1)!);
    expect(pooledRamBytes()).toBe(before - sizes.at(-1)!);
  });
});
