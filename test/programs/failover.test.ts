/**
 * The kernel library's reissue logic (programs/runtime/kio.c) under real fail-overs: a primary/backup pair
 * runs a program, the primary fail-stops right after its Nth externally visible action, the backup takes
 * over and delivers DISCONNECTED records (the patent's steps 312-320). The guest must connect again and
 * reissue what had no COMPLETED record, so the run ends exactly as a run without failure, whether the
 * failed primary's outstanding operations were performed or not (Rule 3). The deliberately broken
 * journal-noreissue, which treats a disconnect as completion, must end differently at some failure point:
 * that is the evidence that the oracle (console output and exit code) can catch a guest breaking the rule.
 */
import { describe, expect, it } from 'vitest';
import { Pair } from '../../src/ft/pair.js';
import { World } from '../../src/hw/world.js';
import type { IoOp } from '../../src/hw/types.js';
import { EXPECTED, image } from './helpers.js';

interface Run {
  readonly stop: string;
  readonly exitCode: number;
  readonly console: string;
  readonly failedOver: boolean;
  /** Operations outstanding at the takeover that the guest issued again (counted by the pair). */
  readonly reissued: number;
}

function pairRun(name: string, event: number | undefined, seed: number, perform?: (op: IoOp) => boolean): Run {
  const world = new World({ input: EXPECTED[name]!.input ?? '' });
  const pair = new Pair(image(name), {
    seed,
    world,
    ...(event !== undefined ? { failAt: { kind: 'event' as const, n: event } } : {}),
    ...(perform ? { performOutstanding: perform } : {}),
  });
  const r = pair.run();
  return { stop: r.stop, exitCode: r.exitCode, console: r.console, failedOver: r.failedOver, reissued: r.takeover?.reissued ?? 0 };
}

type Visible = Omit<Run, 'failedOver' | 'reissued'>;
const expected = (name: string): Visible => ({ stop: 'halt', exitCode: EXPECTED[name]!.exitCode, console: EXPECTED[name]!.console });
const strip = ({ failedOver: _f, reissued: _r, ...rest }: Run): Visible => rest;

const EVENTS = Array.from({ length: 20 }, (_, i) => 1 + 3 * i); // 1, 4, ..., 58
const NEVER = (): boolean => false;
const ALWAYS = (): boolean => true;

describe('guest programs under fail-over', () => {
  it('journal without a failure ends as in bare mode', () => {
    expect(pairRun('journal', undefined, 1)).toEqual({ ...expected('journal'), failedOver: false, reissued: 0 });
  });

  for (const [label, perform] of [['never', NEVER], ['always', ALWAYS], ['as the fault model draws', undefined]] as const) {
    it(`journal ends as without a failure when the primary fails after event ${EVENTS[0]}..${EVENTS.at(-1)} (outstanding operations performed: ${label})`, () => {
      let reissued = 0;
      for (const n of EVENTS) {
        const r = pairRun('journal', n, n, perform);
        expect(r.failedOver).toBe(true);
        expect(strip(r)).toEqual(expected('journal'));
        reissued += r.reissued;
      }
      expect(reissued).toBeGreaterThan(0); // the guest did have to reissue somewhere
    });
  }

  it('journal-noreissue (does not reissue) ends differently at some failure point: the oracle bites', () => {
    expect(strip(pairRun('journal-noreissue', undefined, 1))).toEqual(expected('journal'));
    const wrong = EVENTS.filter((n) => {
      const r = pairRun('journal-noreissue', n, n, NEVER);
      return r.console !== EXPECTED['journal']!.console || r.exitCode !== EXPECTED['journal']!.exitCode;
    });
    expect(wrong.length).toBeGreaterThan(0);
  });

  // Event ranges where an operation is outstanding across an epoch boundary at the failure, so the guest
  // itself must reissue (found by scanning); the asm programs keep one operation in flight and wait for it
  // within the epoch, so the pair re-executes rather than the guest reissuing (disconnect.test.ts covers them).
  const RANGES: Readonly<Record<string, readonly [number, number]>> = {
    echo: [12, 22], mix: [60, 70], 'hello.s': [1, 8], 'traps.s': [1, 40], 'disk.s': [1, 37],
  };
  for (const [name, [from, to]] of Object.entries(RANGES)) {
    it(`${name} ends as without a failure when the primary fails after event ${from}..${to}`, () => {
      let reissued = 0;
      const step = name.endsWith('.s') ? 3 : 1; // the asm programs are slow to run in a pair, many epochs
      for (let n = from; n <= to; n += step) {
        for (const perform of [NEVER, ALWAYS]) {
          const r = pairRun(name, n, 100 + n, perform);
          expect(strip(r)).toEqual(expected(name));
          reissued += r.reissued;
        }
      }
      if (!name.endsWith('.s')) expect(reissued).toBeGreaterThan(0);
    });
  }
});
