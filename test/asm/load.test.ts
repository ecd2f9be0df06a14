/** loadProgram: assembly sources, ELF executables and flat binaries from disk, with clear errors. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProgram, checkFitsRam } from '../../src/asm/load.js';
import { assemble } from '../../src/asm/assembler.js';
import { toElf } from '../../src/asm/elf-write.js';
import { ShadowError } from '../../src/base/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SOURCE = '.globl _start\nnop\n_start: li a0, 3\nhalt a0\n.data\nv: .word 7\n';

function failure(f: () => unknown): [string, string] {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ShadowError);
    return [(err as ShadowError).code, (err as Error).message];
  }
  throw new Error('no error');
}

describe('loadProgram', () => {
  it('assembles .s files', () => {
    const path = join(dir, 'p.s');
    writeFileSync(path, SOURCE);
    const image = loadProgram(path);
    expect(image.entry).toBe(0x80000004);
    expect(image.segments.map((s) => [s.addr.toString(16), s.bytes.length])).toEqual([
      ['80000000', 12],
      ['8000000c', 4],
    ]);
    expect(image.symbols).toEqual([
      { name: '_start', addr: 0x80000004 },
      { name: 'v', addr: 0x8000000c },
    ]);
  });

  it('reads ELF executables by their magic number, whatever their name', () => {
    const path = join(dir, 'p.bin');
    writeFileSync(path, toElf(assemble(SOURCE)));
    expect(loadProgram(path)).toEqual(loadProgram(join(dir, 'p.s')));
  });

  it('loads anything else as a flat binary at RAM_BASE', () => {
    const path = join(dir, 'flat');
    writeFileSync(path, Uint8Array.from([0x13, 0, 0, 0]));
    expect(loadProgram(path)).toEqual({
      entry: 0x80000000,
      segments: [{ addr: 0x80000000, bytes: Uint8Array.from([0x13, 0, 0, 0]) }],
      symbols: [],
    });
  });

  it('says what is wrong with a file, with the FILE, ASM or ELF code', () => {
    expect(failure(() => loadProgram(join(dir, 'missing.s')))).toEqual(['FILE', `cannot read '${join(dir, 'missing.s')}': no such file`]);
    mkdirSync(join(dir, 'sub'));
    expect(failure(() => loadProgram(join(dir, 'sub')))).toEqual(['FILE', `cannot read '${join(dir, 'sub')}': is a directory`]);
    writeFileSync(join(dir, 'empty'), '');
    expect(failure(() => loadProgram(join(dir, 'empty')))).toEqual(['ELF', `${join(dir, 'empty')}: empty program`]);
    writeFileSync(join(dir, 'bad.s'), 'nop\nfoo\n');
    expect(failure(() => loadProgram(join(dir, 'bad.s')))).toEqual([
      'ASM',
      `${join(dir, 'bad.s')}:2:1: error: unknown mnemonic 'foo'\nfoo\n^`,
    ]);
    writeFileSync(join(dir, 'short.elf'), Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 1, 1]));
    expect(failure(() => loadProgram(join(dir, 'short.elf')))).toEqual([
      'ELF',
      `${join(dir, 'short.elf')}: truncated ELF header (52 bytes needed, 6 found)`,
    ]);
  });

  it('checks that the program fits in RAM when asked', () => {
    const path = join(dir, 'big.s');
    writeFileSync(path, '.bss\n.zero 0x2000\n');
    expect(loadProgram(path, { ramBytes: 0x2000 }).segments).toHaveLength(1);
    expect(failure(() => loadProgram(path, { ramBytes: 0x1000 }))).toEqual([
      'ELF',
      `${path}: segment 0x80000000..0x80001fff is outside RAM (0x80000000..0x80000fff)`,
    ]);
    expect(
      failure(() => checkFitsRam('x', { entry: 0, segments: [{ addr: 0x1000, bytes: new Uint8Array(4) }], symbols: [] }, 16 << 20)),
    ).toEqual(['ELF', 'x: segment 0x1000..0x1003 is outside RAM (0x80000000..0x80ffffff)']);
  });
});
