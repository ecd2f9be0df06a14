import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CSR_BY_NAME, RAM_BASE } from '../../isa/csrs.js';
import { assemble } from '../../src/asm/assembler.js';
import { World } from '../../src/hw/world.js';
import { BareMachine, runBare } from '../../src/hw/bare.js';
import { Computer, type ComputerSnapshot } from '../../src/hw/computer.js';

const LOG = 0x80100000;

/**
 * A guest with I/O, a timer and deferred traps: connects the console and writes "A", runs 200 overflowing
 * addv with the timer ticking, waits (wfi) for both completion records, and halts with the number of
 * deferred-trap deliveries. The handler logs each delivery's mepc at LOG and counts timer and external
 * interrupts (s7, s6).
 */
const GUEST = `
    .equ RING, 0x80101000
_start:
    la t0, handler
    csrw mtvec, t0
    li s10, ${LOG}
    li t0, 8
    csrw xioqn, t0
    li t0, RING
    csrw xioq, t0
    li t0, 0x880
    csrw mie, t0
    li t0, 5
    csrw xtimer, t0
    csrsi mstatus, 8
    la a0, iorb_connect
    io a1, a0
    la a0, iorb_write
    io a2, a0
    li t1, 200
    li t2, 0x7fffffff
loop:
    addv t3, t2, t2
    addi t4, t4, 1
    addi t4, t4, 1
    addi t4, t4, 1
    addi t4, t4, 1
    addi t4, t4, 1
    addi t4, t4, 1
    addi t1, t1, -1
    bnez t1, loop
wait:
    li t0, RING
    lw t5, 4(t0)
    li t6, 2
    bgeu t5, t6, done
    wfi
    j wait
done:
    csrw xtimer, zero
    mv a0, s11
    halt a0

handler:
    csrr s8, mcause
    bltz s8, interrupt
    li s9, 24
    bne s8, s9, fatal
    csrr s9, mepc
    sw s9, 0(s10)
    addi s10, s10, 4
    csrw xtv1, zero
    csrw xtv2, zero
    addi s11, s11, 1
    mret
interrupt:
    andi s8, s8, 0xff
    li s9, 7
    bne s8, s9, external
    addi s7, s7, 1
    li s9, 0x80
    csrc mip, s9
    mret
external:
    addi s6, s6, 1
    li s9, 0x800
    csrc mip, s9
    mret
fatal:
    li a0, 99
    halt a0

    .data
iorb_connect: .word 1, 0, 1, 0, 0, 0, 0, 0
iorb_write:   .word 3, 0, 2, msg, 1, 0, 0, 0
msg:          .byte 65
`;

function computer(seed: number, source = GUEST, world = new World()): Computer {
  const c = new Computer({ seed, ramMiB: 2, world, name: `c${seed}` });
  c.load(assemble(source).image);
  return c;
}

/** A snapshot with RAM replaced by its hash (deep equality on megabytes of typed array is slow). */
function comparable(snap: ComputerSnapshot): unknown {
  const h = createHash('sha256').update(snap.ram.pages);
  for (const page of snap.ram.data) h.update(page);
  return { ...snap, ram: h.digest('hex') };
}

function deliveries(c: Computer): number[] {
  const s = c.cpu.state;
  const n = s.regs[27]!; // s11
  return Array.from({ length: n }, (_, i) => c.cpu.readWord(LOG + 4 * i)!);
}

describe('bare mode', () => {
  it('runs a guest with I/O, timer interrupts and deferred traps to its halt', () => {
    const world = new World();
    const c = computer(1, GUEST, world);
    const r = runBare(c, { maxInstructions: 1_000_000 });
    expect(r.stop).toBe('halt');
    expect(r.exitCode).toBeGreaterThan(0);
    expect(r.instructions).toBe(c.cpu.state.instret);
    expect(world.consoleText()).toBe('A');
    const s = c.cpu.state;
    expect(s.regs[11]).toBe(0); // io statuses: accepted
    expect(s.regs[12]).toBe(0);
    expect(s.regs[23]).toBeGreaterThan(0); // s7: timer interrupts taken
    expect(s.regs[22]).toBeGreaterThan(0); // s6: external interrupts taken
    expect(deliveries(c)).toHaveLength(r.exitCode);
  });

  it('is deterministic: the same seed gives the same computer, bit for bit', () => {
    const a = computer(7);
    const b = computer(7);
    const ra = runBare(a, { maxInstructions: 1_000_000 });
    const rb = runBare(b, { maxInstructions: 1_000_000 });
    expect(rb).toEqual(ra);
    expect(comparable({ ...b.snapshot(), name: '' })).toEqual(comparable({ ...a.snapshot(), name: '' }));
  });

  it('two seeds run the same guest visibly differently (trap delivery points, interrupts, time)', () => {
    const runs = [1, 2, 3, 4].map((seed) => {
      const world = new World();
      const c = computer(seed, GUEST, world);
      const r = runBare(c, { maxInstructions: 1_000_000 });
      return { r, console: world.consoleText(), log: deliveries(c), timer: c.cpu.state.regs[23], instret: c.cpu.state.instret };
    });
    for (const run of runs) {
      expect(run.r.stop).toBe('halt');
      expect(run.console).toBe('A');
    }
    const distinct = new Set(runs.map((x) => JSON.stringify([x.log, x.timer, x.instret])));
    expect(distinct.size).toBe(runs.length);
  });

  it('a deferred trap waits while the guest cannot take it, and comes right after it enables MIE', () => {
    const src = `
        la t0, handler
        csrw mtvec, t0
        li t1, 0x7fffffff
        addv t2, t1, t1
        nop
        nop
        csrsi mstatus, 8
      after:
        nop
        li a0, 1
        halt a0
      handler:
        csrr a1, mepc
        csrr a2, xtv1
        li a0, 2
        halt a0
    `;
    for (const seed of [1, 2, 3]) {
      const c = computer(seed, src);
      const r = runBare(c, { maxInstructions: 1000 });
      expect(r).toMatchObject({ stop: 'halt', exitCode: 2 });
      expect(c.cpu.state.regs[11]! >>> 0).toBe(assemble(src).image.symbols.find((x) => x.name === 'after')!.addr);
      expect(c.cpu.state.regs[12]).toBe(1 << 7);
    }
  });

  it('point C: pending traps reach the guest before a sensitive instruction when it can take them', () => {
    const src = `
        la t0, handler
        csrw mtvec, t0
        csrsi mstatus, 8
        li t1, 0x7fffffff
        addv t2, t1, t1
      sens:
        csrr a3, mscratch
        li a0, 1
        halt a0
      handler:
        csrr a1, mepc
        li a0, 2
        halt a0
    `;
    const img = assemble(src).image;
    const c = new Computer({ seed: 1, ramMiB: 1, trapDelayMax: 1000, world: new World() });
    c.load(img);
    // a delay of 0 ends on the addv itself; any other delay is cut short by the csrr
    expect(runBare(c, { maxInstructions: 1000 })).toMatchObject({ stop: 'halt', exitCode: 2 });
    expect(c.cpu.state.regs[11]! >>> 0).toBe(img.symbols.find((x) => x.name === 'sens')!.addr);
  });

  it('stops on a guest fault, on the budget, and on a deadlock', () => {
    const f = computer(1, 'li t0, 16\nlw a0, 0(t0)');
    expect(runBare(f, { maxInstructions: 100 })).toEqual({
      stop: 'fault',
      exitCode: 0,
      instructions: 2,
      fault: { pc: RAM_BASE + 4, cause: 5, tval: 16, word: 0x0002a503 },
    });
    const b = computer(1, 'loop: j loop');
    expect(runBare(b, { maxInstructions: 12345 })).toEqual({ stop: 'budget', exitCode: 0, instructions: 12345 });
    expect(runBare(b, { maxInstructions: 5 })).toEqual({ stop: 'budget', exitCode: 0, instructions: 5 });
    const d = computer(1, 'li t0, 0x800\ncsrw mie, t0\nwfi\nhalt zero');
    expect(runBare(d, { maxInstructions: 100 })).toEqual({ stop: 'budget', exitCode: 0, instructions: 4, deadlock: true });
  });

  it('wfi idles the clock to the next event', () => {
    const src = `
        li t0, 0x80
        csrw mie, t0
        li t0, 1000
        csrw xtimer, t0
        rdtime a1
        wfi
        rdtime a2
        csrr a3, mip
        halt zero
    `;
    const c = computer(5, src);
    expect(runBare(c, { maxInstructions: 100 }).stop).toBe('halt');
    const s = c.cpu.state;
    expect((s.regs[12]! >>> 0) - (s.regs[11]! >>> 0)).toBeGreaterThan(1000);
    expect(s.regs[13]).toBe(0x80);
  });
});

describe('computer', () => {
  it('nondeterministic values are its own: time moves forward, seed has the Zkr ES16 format', () => {
    const c = computer(3, 'halt zero');
    const time = CSR_BY_NAME.get('time')!.number;
    const a = c.nondet(time);
    const b = c.nondet(time);
    expect(b).toBeGreaterThan(a);
    expect(c.nondet(CSR_BY_NAME.get('timeh')!.number)).toBe(0);
    const seed = c.nondet(CSR_BY_NAME.get('seed')!.number);
    expect(seed >>> 16).toBe(0x8000);
    expect(() => c.nondet(CSR_BY_NAME.get('mstatus')!.number)).toThrow('computer: CSR 0x300 is not nondeterministic');
    const other = computer(4, 'halt zero');
    expect([other.nondet(time), other.nondet(time)]).not.toEqual([a, b]);
  });

  it('a snapshot restores to a computer that continues exactly as the original', () => {
    const w1 = new World();
    const a = computer(9, GUEST, w1);
    const bareA = new BareMachine(a);
    bareA.run({ maxInstructions: 1500 });
    // A bare run's snapshot: the computer's, and the traps the bare machine holds for the guest.
    const snap = a.snapshot();
    const held = { ...bareA.held };
    const w2 = new World();
    w2.restore(w1.snapshot());
    const b = Computer.restore(snap, w2);
    const ra = bareA.run({ maxInstructions: 1_000_000 });
    const rb = new BareMachine(b, held).run({ maxInstructions: 1_000_000 });
    expect(rb).toEqual(ra);
    expect(comparable(b.snapshot())).toEqual(comparable(a.snapshot()));
    expect(w2.consoleText()).toBe('A');
    expect(w2.effects).toEqual(w1.effects);
  });

  it('a bare machine run in slices of a few instructions ends exactly as one run: it keeps its held traps', () => {
    const whole = computer(9);
    const one = new BareMachine(whole).run({ maxInstructions: 1_000_000 });
    const sliced = computer(9);
    const bare = new BareMachine(sliced);
    let total = 0;
    for (let r = bare.run({ maxInstructions: 7 }); ; r = bare.run({ maxInstructions: 7 })) {
      total += r.instructions;
      if (r.stop !== 'budget') {
        expect({ ...r, instructions: total }).toEqual(one);
        break;
      }
    }
    expect(comparable({ ...sliced.snapshot(), name: '' })).toEqual(comparable({ ...whole.snapshot(), name: '' }));
  });

  it('rejects a RAM size it cannot have', () => {
    expect(() => new Computer({ seed: 1, ramMiB: 0, world: new World() })).toThrow('RAM must be from 1 to 2048 MiB, got 0');
  });
});
