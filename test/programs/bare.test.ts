/**
 * Every guest program (the committed ELFs and the assembly sources, through the project's loader and
 * assembler) halts in bare mode with its expected exit code and console output, under several seeds:
 * device latencies, completion order and deferred-trap delays change with the seed, the results must not.
 * Needs no toolchain: this is what a new user runs.
 */
import { describe, expect, it } from 'vitest';
import { EXPECTED, image, runImage } from './helpers.js';

const SEEDS = [1, 2, 0xdecaf];

describe('guest programs in bare mode', () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name} halts with exit code ${want.exitCode} and its expected output under seeds ${SEEDS.join(', ')}`, () => {
      const img = image(name);
      const instructions = new Set<number>();
      for (const seed of SEEDS) {
        const r = runImage(img, { seed, input: want.input });
        expect({ stop: r.stop, exitCode: r.exitCode, console: r.console }).toEqual({ stop: 'halt', exitCode: want.exitCode, console: want.console });
        // Alone, nothing is ever written twice or refused.
        expect(r.world.effects.filter((e) => e.error || e.duplicate)).toEqual([]);
        instructions.add(r.instructions);
      }
      expect(Math.max(...instructions)).toBeLessThan(5_000_000);
    });
  }

  it('the I/O programs really run differently under different seeds (completion order, sleeps)', () => {
    const counts = SEEDS.map((seed) => runImage(image('journal'), { seed }).instructions);
    expect(new Set(counts).size).toBeGreaterThan(1);
  });

  it('a fatal trap in a C program is reported on the console and in the exit code (200 + mcause)', () => {
    // sort.elf with its first instruction replaced by a load from address 0 (access fault, cause 5),
    // after the runtime is set up: patch main's first word.
    const img = image('sort');
    const main = img.symbols.find((s) => s.name === 'main');
    expect(main).toBeDefined();
    const seg = img.segments.find((s) => main!.addr >= s.addr && main!.addr < s.addr + s.bytes.length)!;
    const bytes = new Uint8Array(seg.bytes); // a copy (the loader may hand out a Buffer view)
    new DataView(bytes.buffer).setUint32(main!.addr - seg.addr, 0x00002503, true); // lw a0, 0(x0)
    const patched = { ...img, segments: img.segments.map((s) => (s === seg ? { ...s, bytes } : s)) };
    const r = runImage(patched);
    expect(r.stop).toBe('halt');
    expect(r.exitCode).toBe(205);
    expect(r.console).toBe(`\nfatal trap: mcause=5 mepc=0x${main!.addr.toString(16).padStart(8, '0')} mtval=0x00000000\n`);
  });
});
