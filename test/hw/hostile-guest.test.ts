/**
 * Nothing a guest does makes the host throw: random values in every CSR, every IORB field, the ring's
 * address, capacity and head, in bare mode and under a pair (with and without a failover). Every run ends
 * in one of the guest's outcomes (halt, fault, budget), never in an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { runBare } from '../../src/hw/bare.js';
import { Computer } from '../../src/hw/computer.js';
import { World } from '../../src/hw/world.js';
import { Pair } from '../../src/ft/pair.js';
import { hostileGuestArb, hostileSource, RAM_MIB } from './hostile-guest.js';

const SEED = 0x5eed12;
const BUDGET = 20_000;

describe('a hostile guest never makes the host throw', () => {
  it('the timer period 0xFFFFFFFF (it crashed the host with a RangeError) runs in bare mode and in a pair', () => {
    const image = assemble('li t0, -1\ncsrw 0x7c4, t0\nli a0, 7\nhalt a0\n').image;
    const c = new Computer({ seed: 1, ramMiB: RAM_MIB, world: new World() });
    c.load(image);
    expect(runBare(c, { maxInstructions: BUDGET })).toMatchObject({ stop: 'halt', exitCode: 7 });
    expect(new Pair(image, { seed: 1, ramMiB: RAM_MIB }).run()).toMatchObject({ stop: 'halt', exitCode: 7 });
  });

  it('bare mode: random CSRs, IORBs and rings', () => {
    fc.assert(
      fc.property(hostileGuestArb, fc.integer({ min: 1, max: 1000 }), (g, seed) => {
        const c = new Computer({ seed, ramMiB: RAM_MIB, world: new World() });
        c.load(assemble(hostileSource(g)).image);
        const r = runBare(c, { maxInstructions: BUDGET });
        expect(['halt', 'fault', 'budget']).toContain(r.stop);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a pair, failing the primary at a random point or not at all', () => {
    fc.assert(
      fc.property(hostileGuestArb, fc.integer({ min: 1, max: 1000 }), fc.option(fc.integer({ min: 0, max: 40 })), (g, seed, failAt) => {
        const image = assemble(hostileSource(g)).image;
        const r = new Pair(image, {
          seed,
          ramMiB: RAM_MIB,
          maxInstructions: BUDGET,
          monitor: { epochLength: 64 },
          failAt: failAt === null ? undefined : { kind: 'event', n: failAt },
        }).run();
        expect(['halt', 'fault', 'budget', 'diverged']).toContain(r.stop);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
