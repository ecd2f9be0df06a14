/**
 * The patent's corollary at the hardware level, without a monitor: a program runs in bare mode and, every
 * few hundred instructions, every connection is dropped the way a fail-over drops it (Rule 3): each
 * operation in flight at the devices is performed or not (seeded), none completes, and the program gets a
 * DISCONNECTED record for every open device. Programs that reconnect and reissue (kio, and submit_wait in
 * the assembly programs) must end exactly as an undisturbed run; journal-noreissue must not.
 */
import { describe, expect, it } from 'vitest';
import { Computer } from '../../src/hw/computer.js';
import { BareMachine } from '../../src/hw/bare.js';
import { World } from '../../src/hw/world.js';
import { DISCONNECTED_TAG, RECORD_STATUS } from '../../src/hw/types.js';
import { EXPECTED, image } from './helpers.js';

interface Stormy {
  readonly stop: string;
  readonly exitCode: number;
  readonly console: string;
  readonly disconnects: number;
}

/**
 * Runs `name` in bare mode with a disconnection of every open device after each 1..maxGap instructions.
 * A gap shorter than what a program needs to reconnect and see one completion livelocks it (it makes
 * progress only when a gap is long enough), so the gaps below are fitted to each program.
 */
function storm(name: string, seed: number, maxGap: number): Stormy {
  const world = new World({ input: EXPECTED[name]!.input ?? '' });
  const c = new Computer({ seed, world });
  c.load(image(name));
  const bare = new BareMachine(c);
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  let disconnects = 0;
  let total = 0;
  for (;;) {
    const r = bare.run({ maxInstructions: 1 + Math.floor(next() * maxGap) });
    total += r.instructions;
    if (r.stop !== 'budget' || r.deadlock || total > 20_000_000) {
      return { stop: r.deadlock ? 'deadlock' : r.stop, exitCode: r.exitCode, console: world.consoleText(), disconnects };
    }
    const open = c.io.openDevices();
    c.devices.abandon(() => next() < 0.5);
    for (const device of open) {
      c.io.deliver(c.cpu, { class: 'io', opId: -1, device, tag: DISCONNECTED_TAG, status: RECORD_STATUS.DISCONNECTED, result: 0 });
      disconnects++;
    }
  }
}

const GAP: Readonly<Record<string, number>> = {
  journal: 4000, echo: 1500, mix: 20000, 'hello.s': 60, 'traps.s': 300, 'disk.s': 400,
};

describe('guest programs under repeated disconnections (bare mode)', () => {
  for (const [name, gap] of Object.entries(GAP)) {
    it(`${name} ends as undisturbed when every connection drops every 1..${gap} instructions (seeds 1-4)`, () => {
      for (const seed of [1, 2, 3, 4]) {
        const r = storm(name, seed, gap);
        expect(r.disconnects).toBeGreaterThan(0);
        expect({ stop: r.stop, exitCode: r.exitCode, console: r.console }).toEqual({
          stop: 'halt',
          exitCode: EXPECTED[name]!.exitCode,
          console: EXPECTED[name]!.console,
        });
      }
    });
  }

  it('journal-noreissue does not survive the same storms', () => {
    for (const seed of [1, 2, 3, 4]) {
      const r = storm('journal-noreissue', seed, GAP['journal']!);
      expect(r.disconnects).toBeGreaterThan(0);
      expect(r.exitCode === EXPECTED['journal']!.exitCode && r.console === EXPECTED['journal']!.console).toBe(false);
    }
  });
});
