/** ELF writer and reader: round trips, and a clear ShadowError('ELF') for every kind of malformed file. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { toElf } from '../../src/asm/elf-write.js';
import { parseElf, readElf } from '../../src/asm/elf-read.js';
import { ShadowError } from '../../src/base/errors.js';

const PROGRAM = `
    .globl _start
_start: la a0, msg
    j _start
    .word 0x1234
    .section .rodata
ro: .byte 1, 2, 3
    .data
msg: .asciz "hi"
    .equ K, 42
    .bss
buf: .zero 100
`;
const result = assemble(PROGRAM);
const elf = toElf(result);

function elfError(bytes: Uint8Array): string {
  try {
    readElf(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ShadowError);
    expect((err as ShadowError).code).toBe('ELF');
    return (err as Error).message;
  }
  throw new Error('read without error');
}

/** A copy of the ELF with some header fields changed. */
function patched(edit: (v: DataView, b: Uint8Array) => void, bytes: Uint8Array = elf): Uint8Array {
  const b = bytes.slice();
  edit(new DataView(b.buffer), b);
  return b;
}
const ph = (i: number, field: number): number => 52 + 32 * i + field;

describe('ELF writer and reader', () => {
  it('round-trip the program image', () => {
    const byName = (i: typeof result.image) => ({ ...i, symbols: [...i.symbols].sort((a, b) => a.name.localeCompare(b.name)) });
    expect(byName(readElf(elf))).toEqual(byName(result.image));
  });

  it('write the sections, symbols and mapping symbols binutils expect', () => {
    const f = parseElf(elf);
    expect(f.entry).toBe(0x80000000);
    expect(f.sections.map((s) => s.name)).toEqual([
      '',
      '.text',
      '.rodata',
      '.data',
      '.bss',
      '.riscv.attributes',
      '.symtab',
      '.strtab',
      '.shstrtab',
    ]);
    expect(f.segments.map((s) => [s.vaddr.toString(16), s.filesz, s.memsz, s.flags])).toEqual([
      ['80000000', 16, 16, 5],
      ['80000010', 3, 3, 4],
      ['80000013', 3, 3, 6],
      ['80000016', 0, 100, 6],
    ]);
    expect(f.symbols.map((s) => [s.name, s.value.toString(16), s.section, s.bind])).toEqual([
      ['ro', '80000010', '.rodata', 0],
      ['msg', '80000013', '.data', 0],
      ['K', '2a', '*ABS*', 0],
      ['buf', '80000016', '.bss', 0],
      ['$xrv32i2p1_m2p0_zicsr2p0_zmmul1p0', '80000000', '.text', 0],
      ['$d', '8000000c', '.text', 0],
      ['_start', '80000000', '.text', 1],
    ]);
    const symtab = f.sections.find((s) => s.name === '.symtab')!;
    expect(symtab.info).toBe(7);
  });

  it('read flat and NOBITS segments as zero fill', () => {
    expect(readElf(elf).segments[3]).toEqual({ addr: 0x80000016, bytes: new Uint8Array(0), zeroFill: 100 });
  });

  it('reject files that are not ELF32 little-endian RISC-V executables', () => {
    expect(elfError(Uint8Array.from([1, 2, 3, 4, 5]))).toBe('not an ELF file (bad magic)');
    expect(elfError(elf.slice(0, 3))).toBe('not an ELF file (bad magic)');
    expect(elfError(elf.slice(0, 40))).toBe('truncated ELF header (52 bytes needed, 40 found)');
    expect(elfError(patched((_v, b) => (b[4] = 2)))).toBe('not an ELF32 file (EI_CLASS 2)');
    expect(elfError(patched((_v, b) => (b[5] = 2)))).toBe('not a little-endian ELF file (EI_DATA 2)');
    expect(elfError(patched((v) => v.setUint16(18, 62, true)))).toBe('not a RISC-V ELF file (e_machine 62)');
    expect(elfError(patched((v) => v.setUint16(16, 1, true)))).toBe('not an executable ELF file (e_type 1)');
  });

  it('reject program headers and segments that do not fit', () => {
    expect(elfError(patched((v) => v.setUint16(42, 56, true)))).toBe('bad program header size 56 (expected 32)');
    expect(elfError(patched((v) => v.setUint32(28, elf.length - 40, true)))).toBe('program headers outside the file');
    expect(elfError(elf.slice(0, 100))).toBe('program headers outside the file');
    expect(elfError(patched((v) => v.setUint16(44, 0, true)))).toBe('no loadable segment');
    expect(
      elfError(
        patched((v) => {
          for (let i = 0; i < 4; i++) v.setUint32(ph(i, 0), 6, true);
        }),
      ),
    ).toBe('no loadable segment');
    expect(elfError(patched((v) => v.setUint32(ph(0, 4), elf.length - 4, true)))).toBe(
      `segment 0 outside the file (offset 0x${(elf.length - 4).toString(16)}, 16 bytes, file of ${elf.length} bytes)`,
    );
    expect(elfError(patched((v) => v.setUint32(ph(1, 16), 4, true)))).toBe('segment 1 has a file size (4) larger than its memory size (3)');
    expect(elfError(patched((v) => v.setUint32(ph(3, 12), 0xffffffc0, true)))).toBe(
      'segment 3 at 0xffffffc0 runs past the end of the address space',
    );
    expect(elfError(patched((v) => v.setUint32(ph(1, 12), 0x80000008, true)))).toBe('segments at 0x80000000 and 0x80000008 overlap');
  });

  it('reject section headers, names and symbols that do not fit', () => {
    const shoff = new DataView(elf.buffer).getUint32(32, true);
    expect(elfError(patched((v) => v.setUint16(46, 64, true)))).toBe('bad section header size 64 (expected 40)');
    expect(elfError(elf.slice(0, shoff + 10))).toBe('section headers outside the file');
    expect(elfError(patched((v) => v.setUint32(shoff + 40 * 2 + 20, 0x100000, true)))).toBe('section 2 outside the file');
    expect(elfError(patched((v) => v.setUint16(50, 0, true)))).toBe('bad section name table index');
    expect(elfError(patched((v) => v.setUint32(shoff + 40 * 2, 0xffff, true)))).toBe(
      'section 2: name offset 65535 outside its string table',
    );
    expect(elfError(patched((v) => v.setUint32(shoff + 40 * 6 + 36, 12, true)))).toBe('bad symbol size 12 (expected 16)');
    expect(elfError(patched((v) => v.setUint32(shoff + 40 * 6 + 24, 1, true)))).toBe('symbol table without a string table');
  });

  it('never throw anything but ShadowError(ELF) on damaged files', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(elf.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(elf.length),
        (edits, cut) => {
          const b = elf.slice(0, Math.max(cut, 52));
          for (const [at, value] of edits) if (at < b.length) b[at] = value;
          try {
            parseElf(b);
            readElf(b);
          } catch (err) {
            expect(err).toBeInstanceOf(ShadowError);
            expect((err as ShadowError).code).toBe('ELF');
          }
        },
      ),
      { seed: 1234, numRuns: 2000 },
    );
  });
});
