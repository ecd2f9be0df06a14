import { describe, expect, it } from 'vitest';
import { PageHashes, stateFingerprint, zeroPageHash } from '../../src/vmm/digest.js';
import { Cpu } from '../../src/cpu/cpu.js';
import { program } from '../programs.js';

const BYTES = 64 * 4096;

describe('page hashes and fingerprints from the written pages', () => {
  it("a page never written gets the zero page's hash, the same as hashing it", () => {
    const cpu = Cpu.create({ ramBytes: BYTES, trapDelayMax: 0, trapSeed: 1 });
    const full = new PageHashes(cpu.state);
    full.refresh();
    for (const p of [0, 1, 17, 63]) expect(zeroPageHash(p)).toBe(full.hashes[p]);
  });

  it('after a load and a run: the same hashes, digests and fingerprint with and without the written pages', () => {
    const run = (useWritten: boolean): { hashes: number[]; fingerprint: string; written: number } => {
      const cpu = Cpu.create({ ramBytes: 1 << 20, trapDelayMax: 0, trapSeed: 1 });
      cpu.writeBytes(0x8000_0000 + 0x40000, new Uint8Array([9, 9, 9])); // a page that the load must clear again
      cpu.load(program('sort.elf'));
      const written = cpu.writtenPages()!;
      const pages = new PageHashes(cpu.state, undefined, cpu.cleared, useWritten ? written : undefined);
      pages.refresh();
      cpu.run(200_000);
      pages.refresh();
      return {
        hashes: Array.from(pages.hashes),
        fingerprint: stateFingerprint(cpu.state, useWritten ? cpu.writtenPages() : undefined),
        written: written.reduce((n, b) => n + b, 0),
      };
    };
    const a = run(true);
    const b = run(false);
    expect(a.hashes).toEqual(b.hashes);
    expect(a.fingerprint).toBe(b.fingerprint);
    // The load marked only the segments' pages and the one written before it, not all 256.
    expect(a.written).toBeLessThan(20);
  });
});
