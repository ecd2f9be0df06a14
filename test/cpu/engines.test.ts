/**
 * The block translator against the interpreter, on whole machines: every shipped program and random
 * programs from the generator, in bare mode (state digest, console, exit and instruction count at the end)
 * and as a primary/backup pair (the state digest of both replicas at every epoch end).
 */
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Cpu, type Engine } from '../../src/cpu/cpu.js';
import { Computer } from '../../src/hw/computer.js';
import { runBare } from '../../src/hw/bare.js';
import { World } from '../../src/hw/world.js';
import { Pair } from '../../src/ft/pair.js';
import { stateFingerprint } from '../../src/vmm/digest.js';
import { generateProgram } from '../../src/genprog/genprog.js';
import type { ProgramImage } from '../../isa/image.js';
import { BUILD, ECHO_INPUT, image } from '../programs/helpers.js';

const saved = { engine: Cpu.defaultEngine, after: Cpu.defaultTranslateAfter };
afterEach(() => {
  Cpu.defaultEngine = saved.engine;
  Cpu.defaultTranslateAfter = saved.after;
});

/** Runs `f` with every new processor on `engine` from its first instruction. */
function on<T>(engine: Engine, f: () => T): T {
  Cpu.defaultEngine = engine;
  Cpu.defaultTranslateAfter = 0;
  return f();
}

function bare(img: ProgramImage, seed: number): { result: unknown; digest: string; console: string; blocks: number } {
  const world = new World({ input: ECHO_INPUT });
  const c = new Computer({ seed, ramMiB: 1, world });
  c.load(img);
  const result = runBare(c, { maxInstructions: 20_000_000 });
  return { result, digest: stateFingerprint(c.cpu.state), console: world.consoleText(), blocks: c.cpu.translatedBlocks };
}

/** Pairs stop after PAIR_LIMIT instructions per computer (the CPU-bound programs run longer; their prefix is compared). */
const PAIR_LIMIT = 600_000;

function pair(img: ProgramImage, seed: number): { epochs: string[]; result: unknown; blocks: number } {
  const p = new Pair(img, { seed, ramMiB: 1, world: new World({ input: ECHO_INPUT }), maxInstructions: PAIR_LIMIT });
  const epochs: string[] = [];
  for (const [side, m] of [
    ['P', p.primary],
    ['B', p.backup],
  ] as const) {
    m.observe({
      onEpochEnd: (epoch, reason, instret) =>
        epochs.push(`${side} ${epoch} ${reason} ${instret} ${stateFingerprint(m.computer.cpu.state)}`),
    });
  }
  const r = p.run();
  const blocks = p.primary.computer.cpu.translatedBlocks + p.backup.computer.cpu.translatedBlocks;
  p.dispose();
  return { epochs, result: { stop: r.stop, epochs: r.epochs }, blocks };
}

const PROGRAMS = readdirSync(BUILD)
  .filter((f) => f.endsWith('.elf'))
  .map((f) => f.slice(0, -4));

describe('the block translator computes what the interpreter computes', () => {
  it('finds the shipped programs', () => {
    expect(PROGRAMS).toEqual(expect.arrayContaining(['sort', 'hash', 'interp', 'journal', 'echo']));
  });

  it.each(PROGRAMS)('programs/build/%s.elf in bare mode: same end state, console, exit and count', (name) => {
    const img = image(name);
    const a = on('interp', () => bare(img, 5));
    const b = on('blocks', () => bare(img, 5));
    expect(a.blocks).toBe(0);
    expect(b.blocks).toBeGreaterThan(10);
    expect({ ...b, blocks: 0 }).toEqual({ ...a, blocks: 0 });
  });

  it.each(PROGRAMS)('programs/build/%s.elf as a pair: same digests of both replicas at every epoch end', (name) => {
    const img = image(name);
    const a = on('interp', () => pair(img, 9));
    const b = on('blocks', () => pair(img, 9));
    expect(a.epochs.length).toBeGreaterThan(2);
    expect(b.blocks).toBeGreaterThan(10);
    expect(b.result).toEqual(a.result);
    expect(b.epochs).toEqual(a.epochs);
  });

  const SEEDS = Array.from({ length: 8 }, (_, i) => i + 1);
  it.each(SEEDS)('generated program %i (io, timer, traps, exceptions, U mode): bare and pair agree', (seed) => {
    const img = generateProgram(seed, { length: 60, io: seed % 2 === 0, timer: seed % 3 === 0 }).image;
    const a = on('interp', () => bare(img, seed));
    const b = on('blocks', () => bare(img, seed));
    expect({ ...b, blocks: 0 }).toEqual({ ...a, blocks: 0 });
    expect(b.blocks).toBeGreaterThan(0);
    const pa = on('interp', () => pair(img, seed));
    const pb = on('blocks', () => pair(img, seed));
    expect(pb.result).toEqual(pa.result);
    expect(pb.epochs).toEqual(pa.epochs);
  });
});
