/**
 * The committed ELF files in programs/build/ are exactly what the build script makes from the sources
 * (so nobody runs stale binaries), the build is deterministic, and the files stay small.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BUILD_DIR, PROGRAMS, buildProgram, check } from '../../scripts/build-programs.js';
import { describeWithToolchain } from '../toolchain.js';

describeWithToolchain(
  'committed guest ELFs',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'shadowvm-build-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('are up to date: a fresh build gives the same bytes', async () => {
      expect(await check()).toEqual([]);
    });

    it('build deterministically: two builds of journal into different directories are identical', () => {
      const journal = PROGRAMS.find((p) => p.name === 'journal')!;
      const a = readFileSync(buildProgram(journal, join(dir)));
      const b = readFileSync(buildProgram(journal, mkdtempSync(join(dir, 'again-'))));
      expect(a.equals(b)).toBe(true);
    });

    it('include the deliberately broken journal-noreissue, which differs from journal', () => {
      const a = readFileSync(join(BUILD_DIR, 'journal.elf'));
      const b = readFileSync(join(BUILD_DIR, 'journal-noreissue.elf'));
      expect(a.equals(b)).toBe(false);
    });

    it('are each under 16 KiB', () => {
      for (const p of PROGRAMS) expect(statSync(join(BUILD_DIR, `${p.name}.elf`)).size).toBeLessThan(16 * 1024);
    });
  },
  true,
);
