/**
 * The kernel I/O library's harder paths, with a test program built here (needs the toolchain):
 * more operations submitted at once than the machine accepts (io says -5: they wait and are issued as
 * completions make room), in bare mode, and the same while fail-overs make the library reconnect and
 * reissue many in-flight operations at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadProgram } from '../../src/asm/load.js';
import { Pair } from '../../src/ft/pair.js';
import { World } from '../../src/hw/world.js';
import type { ProgramImage } from '../../isa/image.js';
import { buildProgram } from '../../scripts/build-programs.js';
import { describeWithToolchain } from '../toolchain.js';
import { runImage } from './helpers.js';

const STATS = /^kio-stress: bad=(\d+) retries=(\d+) disconnects=(\d+) reissued=(\d+)\n$/;

describeWithToolchain(
  'kio: many operations at once',
  () => {
    // Built in a hook, not while vitest collects: the body of a skipped describe still runs at collection,
    // and without the toolchain a build here would fail the whole file instead of skipping it.
    let dir = '';
    let img: ProgramImage;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'shadowvm-kio-'));
      img = loadProgram(
        buildProgram({ name: 'kio-stress', source: 'test/programs/kio-stress.c', defines: ['KIO_SLOTS=32'], host: false }, dir),
      );
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('retries operations the machine refused with -5 until they are accepted (bare mode, seeds 1-3)', () => {
      for (const seed of [1, 2, 3]) {
        const r = runImage(img, { seed });
        expect(r.stop).toBe('halt');
        expect(r.exitCode).toBe(0);
        const m = STATS.exec(r.console);
        expect(m).not.toBeNull();
        expect(Number(m![2])).toBeGreaterThan(0); // some io returned -5
        expect(Number(m![3])).toBe(0);
      }
    });

    it('reconnects and reissues many in-flight operations after a fail-over, and every byte is right', () => {
      let reissued = 0;
      // Failure points after the burst of submissions (the first ~60 events are start-up epochs).
      for (let n = 64; n <= 240; n += 16) {
        const world = new World();
        const r = new Pair(img, { seed: n, world, failAt: { kind: 'event', n }, performOutstanding: () => false }).run();
        expect({ stop: r.stop, exitCode: r.exitCode }).toEqual({ stop: 'halt', exitCode: 0 });
        const m = STATS.exec(r.console);
        expect(m).not.toBeNull();
        reissued += Number(m![4]);
      }
      expect(reissued).toBeGreaterThan(0);
    });
  },
  true,
);
