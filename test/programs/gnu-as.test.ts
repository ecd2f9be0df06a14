/**
 * The hand-written assembly programs, assembled by GNU as (Xshadow mnemonics rewritten to .insn) and run in
 * bare mode, behave exactly as the expectations say: the sources are plain GNU as and correct on their own,
 * independently of the project's assembler. And the project's assembler gives the same bytes (XSHADOW.md 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadProgram } from '../../src/asm/load.js';
import type { ProgramImage } from '../../isa/image.js';
import { describeWithToolchain } from '../toolchain.js';
import { gnuAssemble, xshadowToInsn } from './gnu-as.js';
import { EXPECTED, ROOT, runImage } from './helpers.js';

/** The loaded bytes of an image from its lowest to its highest address, gaps as zeros (.bss left out). */
function flat(img: ProgramImage): Uint8Array {
  const lo = Math.min(...img.segments.map((s) => s.addr));
  const hi = Math.max(...img.segments.map((s) => s.addr + s.bytes.length));
  const out = new Uint8Array(hi - lo);
  for (const s of img.segments) out.set(s.bytes, s.addr - lo);
  return out;
}

describeWithToolchain('asm programs assembled by GNU as', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shadowvm-gnu-as-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites each Xshadow instruction to its .insn encoding and leaves the rest alone', () => {
    const src = 'loop: addv a0, a1, a2 # sum\n  divv t0, t1, zero\n  drain\n  io t0, s0\n  halt a0\n  add a0, a0, a1\n  iorb: .word 1';
    expect(xshadowToInsn(src)).toBe(
      'loop: .insn r 0x0b, 0, 0, a0, a1, a2 # sum\n  .insn r 0x0b, 3, 0, t0, t1, zero\n  .insn r 0x0b, 4, 0, x0, x0, x0\n' +
        '  .insn i 0x2b, 0, t0, s0, 0\n  .insn i 0x2b, 1, x0, a0, 0\n  add a0, a0, a1\n  iorb: .word 1',
    );
  });

  for (const name of ['hello', 'traps', 'disk']) {
    it(`${name}.s halts with ${EXPECTED[`${name}.s`]!.exitCode} and prints its expected output, under seeds 1-3`, () => {
      const img = loadProgram(gnuAssemble(join(ROOT, 'programs', `${name}.s`), dir, name));
      for (const seed of [1, 2, 3]) {
        const r = runImage(img, { seed });
        expect({ stop: r.stop, exitCode: r.exitCode, console: r.console }).toEqual({
          stop: 'halt',
          exitCode: EXPECTED[`${name}.s`]!.exitCode,
          console: EXPECTED[`${name}.s`]!.console,
        });
      }
    });

    it(`${name}.s: the project's assembler gives the same bytes as GNU as`, () => {
      const gnu = loadProgram(gnuAssemble(join(ROOT, 'programs', `${name}.s`), dir, `${name}-bytes`));
      const ours = loadProgram(join(ROOT, 'programs', `${name}.s`));
      expect(ours.entry).toBe(gnu.entry);
      expect(Buffer.from(flat(ours)).toString('hex')).toBe(Buffer.from(flat(gnu)).toString('hex'));
    });
  }
});
