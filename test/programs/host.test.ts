/**
 * Each CPU-bound C program, compiled natively (x86 gcc, programs/host/shim.c on stdio) and compiled for the
 * guest (the committed ELF, run in bare mode), prints the same bytes and exits with the same code. A
 * difference means the emulator, the runtime or the program has a bug (the program is written with
 * fixed-width unsigned arithmetic so that it has one meaning on both).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PROGRAMS, buildHost } from '../../scripts/build-programs.js';
import { describeWithToolchain } from '../toolchain.js';
import { EXPECTED, image, runImage } from './helpers.js';

describeWithToolchain(
  'guest output equals host output',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'shadowvm-host-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const hosted = PROGRAMS.filter((p) => p.host);
    it('covers the CPU-bound programs', () => {
      expect(hosted.map((p) => p.name)).toEqual(['sort', 'hash', 'interp']);
    });

    for (const p of hosted) {
      it(`${p.name}: same console output and exit code on the host and on the guest`, () => {
        const exe = buildHost(p, dir);
        const host = spawnSync(exe, [], { encoding: 'utf8' });
        const guest = runImage(image(p.name), { seed: 3 });
        expect(guest.stop).toBe('halt');
        expect({ console: guest.console, exitCode: guest.exitCode }).toEqual({ console: host.stdout, exitCode: host.status });
        expect(host.stdout).toBe(EXPECTED[p.name]!.console);
      });
    }
  },
  true,
);
