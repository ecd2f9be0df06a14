import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { World } from '../../src/hw/world.js';
import { runBare } from '../../src/hw/bare.js';
import { Computer } from '../../src/hw/computer.js';
import { ramImagesBytes } from '../../src/hw/ram-image.js';
import { PAGE_BYTES } from '../../src/cpu/state.js';

/** Fills 1 MiB with a pattern, issues one 1 MiB console WRITE of it, then counts in one word for ever. */
const GUEST = `
    .equ BUF, 0x80200000
    .equ N, 0x100000
_start:
    li t0, BUF
    li t1, N
    add t1, t1, t0
    li t2, 0x01010101
1:  sw t2, 0(t0)
    addi t2, t2, 7
    addi t0, t0, 4
    bne t0, t1, 1b
    li t0, 8
    csrw xioqn, t0
    li t0, 0x80100000
    csrw xioq, t0
    la a0, connect
    io t0, a0
    la a0, write
    io t0, a0
    li t3, 0x80180000
2:  lw t4, 0(t3)
    addi t4, t4, 1
    sw t4, 0(t3)
    j 2b
    .data
    .align 2
connect: .word 1, 0, 1, 0, 0, 0, 0, 0
write:   .word 3, 0, 2, BUF, N, 0, 0, 0
`;

describe('computer snapshots: shared pages', () => {
  it('twenty snapshots of a computer using 1 MiB hold about one copy of it; each restores and runs on bit for bit', () => {
    const world = new World();
    const c = new Computer({ seed: 5, ramMiB: 4, world, name: 'c' });
    c.load(assemble(GUEST).image);
    const writing = (): boolean => c.io.state.outstanding.some((op) => op.data !== undefined);
    while (!writing()) runBare(c, { maxInstructions: 1 }); // to the WRITE's issue
    const [w1, w2] = [c.snapshot(), (runBare(c, { maxInstructions: 1 }), c.snapshot())];
    // The WRITE's 1 MiB, outstanding, is one buffer shared by the computer and both snapshots, not copied.
    const dataOf = (io: typeof c.io.state): Uint8Array | undefined => io.outstanding.find((op) => op.data)?.data;
    expect(dataOf(w1.io)?.length).toBe(1 << 20);
    expect(dataOf(w2.io)).toBe(dataOf(w1.io));
    expect(dataOf(c.io.state)).toBe(dataOf(w1.io));
    runBare(c, { maxInstructions: 200_000 });
    const snaps = [];
    const worlds = [];
    for (let i = 0; i < 20; i++) {
      snaps.push(c.snapshot());
      worlds.push(world.snapshot());
      runBare(c, { maxInstructions: 500 });
    }
    const used = snaps[0]!.ram.pages.length * PAGE_BYTES;
    expect(used).toBeGreaterThanOrEqual(1 << 20);
    // One copy of the guest's pages, plus the few pages (counter, stack, ring) that change between snapshots.
    expect(ramImagesBytes(snaps.map((s) => s.ram))).toBeLessThan(used + 20 * 4 * PAGE_BYTES);
    const firstBytes = Buffer.from(Computer.restore(snaps[0]!, new World()).cpu.state.ram);
    // Each snapshot restores to a computer that runs on exactly as the original did from there.
    for (const i of [0, 7, 19]) {
      const w = new World();
      w.restore(worlds[i]!);
      const b = Computer.restore(snaps[i]!, w);
      const w2 = new World();
      w2.restore(worlds[i]!);
      const b2 = Computer.restore(snaps[i]!, w2);
      expect(runBare(b, { maxInstructions: 3000 })).toEqual(runBare(b2, { maxInstructions: 3000 }));
      expect(b.cpu.state.instret).toBe(snaps[i]!.cpu.instret + 3000);
      expect(Buffer.compare(b.cpu.state.ram, b2.cpu.state.ram)).toBe(0);
      expect(w.consoleDigest()).toBe(w2.consoleDigest());
    }
    // Restoring never changed the snapshots' shared pages: the first still restores to its own bytes.
    expect(Buffer.compare(Computer.restore(snaps[0]!, new World()).cpu.state.ram, firstBytes)).toBe(0);
  });
});
