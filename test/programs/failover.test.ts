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
import { World } from '../../src/ft/world.js';
import type { IoOp } from '../../src/hw/types.js';
import { EXPECTED, image } from './helpers.js';

interface Run {
  readonly stop: string;
  readonly exitCode: number;
  readonly console: string;
  readonly failedOver: boolean;
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
  return { stop: r.stop, exitCode: r.exitCode, console: r.console, failedOver: r.failedOver };
}

const expected = (name: string): Omit<Run, 'failedOver'> => ({ stop: 'halt', exitCode: EXPECTED[name]!.exitCode, console: EXPECTED[name]!.console });
const strip = ({ failedOver: _, ...rest }: Run): Omit<Run, 'failedOver'> => rest;

const EVENTS = Array.from({ length: 20 }, (_, i) => 1 + 3 * i); // 1, 4, ..., 58
const NEVER = (): boolean => false;
const ALWAYS = (): boolean => true;

describe('guest programs under fail-over', () => {
  it('journal without a failure ends as in bare mode', () => {
    expect(pairRun('journal', undefined, 1)).toEqual({ ...expected('journal'), failedOver: false });
  });

  for (const [label, perform] of [['never', NEVER], ['always', ALWAYS], ['as the fault model draws', undefined]] as const) {
    it(`journal ends as without a failure when the primary fails after event ${EVENTS[0]}..${EVENTS.at(-1)} (outstanding operations performed: ${label})`, () => {
      for (const n of EVENTS) {
        const r = pairRun('journal', n, n, perform);
        expect(r.failedOver).toBe(true);
        expect(strip(r)).toEqual(expected('journal'));
      }
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

  for (const name of ['echo', 'mix', 'hello.s', 'traps.s', 'disk.s']) {
    it(`${name} ends as without a failure when the primary fails after events 1..8`, () => {
      for (let n = 1; n <= 8; n++) {
        for (const perform of [NEVER, ALWAYS]) expect(strip(pairRun(name, n, 100 + n, perform))).toEqual(expected(name));
      }
    });
  }
});
