/**
 * The linker: objects from our assembler (every case here) and from gcc and GNU as (against GNU ld's
 * output, section by section, with the toolchain). Errors are pinned whole.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleObject } from '../../src/asm/object.js';
import { parseElf } from '../../src/asm/elf-read.js';
import { toElf } from '../../src/asm/elf-write.js';
import { ShadowError } from '../../src/base/errors.js';
import { link, type LinkOptions } from '../../src/link/link.js';
import { TOOL_PREFIX, describeWithToolchain } from '../toolchain.js';

const obj = (file: string, source: string): { file: string; bytes: Uint8Array } => ({
  file,
  bytes: assembleObject(source, { file }).bytes,
});

function linkError(inputs: Parameters<typeof link>[0], opts: LinkOptions = {}): string {
  try {
    link(inputs, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ShadowError);
    expect((err as ShadowError).code).toBe('LINK');
    return (err as Error).message;
  }
  throw new Error('linked without error');
}

const symbol = (r: ReturnType<typeof link>, name: string): number | undefined => r.symbols.find((s) => s.name === name)?.value;

describe('link', () => {
  it('places .text, .rodata, .data and .bss from --text and resolves references both ways', () => {
    const a = obj('a.s', '.globl _start, x\n_start: call f\n la a0, y\n.data\nx: .word y\n');
    const b = obj('b.s', '.globl f, y\nf: ret\n.section .rodata\n.word 7\n.bss\ny: .space 8\n');
    const r = link([a, b], { text: 0x1000 });
    expect(r.outputs.map((o) => `${o.name}@${o.addr.toString(16)}+${o.size}`)).toEqual([
      '.text@1000+20',
      '.rodata@1014+4',
      '.data@1018+4',
      '.bss@101c+8',
    ]);
    expect(r.image.entry).toBe(0x1000);
    expect([symbol(r, 'f'), symbol(r, 'x'), symbol(r, 'y')]).toEqual([0x1010, 0x1018, 0x101c]);
    const data = r.sections.find((s) => s.name === '.data')!.bytes!;
    expect(new DataView(data.buffer).getUint32(0, true)).toBe(0x101c);
  });

  it('a strong definition wins over a weak one; an undefined weak symbol is 0', () => {
    const a = obj('a.s', '.globl _start\n.weak f, g\n_start: .word f, g\nf: ret\n');
    const b = obj('b.s', '.globl f\nf: nop\n ret\n');
    const r = link([a, b], { text: 0 });
    expect(symbol(r, 'f')).toBe(0xc);
    expect([...r.sections[0]!.bytes!.subarray(0, 8)]).toEqual([0x0c, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('reports every undefined reference and every duplicate, naming the files', () => {
    const a = obj('a.s', '.globl _start\n_start: call f\n j g\n.data\n.word h\n');
    expect(linkError([a])).toBe(
      "a.s(.text+0x0): undefined reference to 'f'\n" +
        "a.s(.text+0x8): undefined reference to 'g'\n" +
        "a.s(.data+0x0): undefined reference to 'h'",
    );
    const b = obj('b.s', '.globl _start\n_start: ret\n');
    expect(linkError([a, b, b])).toBe(
      "multiple definition of '_start': first in a.s, again in b.s\nmultiple definition of '_start': first in a.s, again in b.s",
    );
  });

  it('reports a relocation out of range with the symbol and the distance', () => {
    const script = { file: 'far.ld', text: 'SECTIONS { .text 0x80000000 : { *(.text) } .far 0x80200000 : { *(.text.far) } }' };
    const a = obj('a.s', '.globl _start\n_start: j far\n.section .text.far\n.globl far\nfar: ret\n');
    expect(linkError([a], { script })).toBe(
      "a.s(.text+0x0): relocation R_RISCV_JAL out of range: 'far' at 0x80200000 is 2097152 bytes away (a jal reaches -1 MiB..1 MiB-2)",
    );
  });

  it('reports a bad linker script at its line', () => {
    const a = obj('a.s', 'ret\n');
    expect(linkError([a], { script: { file: 's.ld', text: 'SECTIONS {\n .text : { foo.o(.text) }\n}' } })).toBe(
      "s.ld:2: only '*(...)' input section lists are supported, found 'foo.o'",
    );
    expect(linkError([a], { script: { file: 's.ld', text: 'INPUT(a.o)' } })).toBe("s.ld:1: unsupported linker script command 'INPUT'");
  });
});

const root = join(new URL('.', import.meta.url).pathname, '..', '..');
const runtime = join(root, 'programs', 'runtime');
const CFLAGS = ['-march=rv32im_zicsr', '-mabi=ilp32', '-O2', '-ffreestanding', '-nostdlib', '-ffunction-sections', '-fdata-sections'];

describeWithToolchain(
  'link agrees with GNU ld',
  () => {
    const work = mkdtempSync(join(tmpdir(), 'shadowvm-link-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    /** Sections (addresses, sizes, bytes), entry and global symbols of an executable. */
    function sections(bytes: Uint8Array): Record<string, unknown> {
      const elf = parseElf(bytes);
      const out: Record<string, unknown> = { entry: elf.entry };
      for (const s of elf.sections.filter((s) => s.flags & 2)) {
        out[s.name] = { addr: s.addr, size: s.size, bytes: s.type === 8 ? 'nobits' : Buffer.from(elf.contents(s)).toString('hex') };
      }
      out.globals = Object.fromEntries(
        elf.symbols
          .filter((s) => s.bind !== 0) // global or weak
          .map((s) => [s.name, s.value])
          .sort(),
      );
      return out;
    }

    it('on the runtime (GNU as and shadowvm objects) with gcc-compiled C, by programs/runtime/linker.ld', () => {
      // -fno-merge-constants: GNU ld merges equal strings of SHF_MERGE sections; shadowvm's linker does not.
      const c = ['console.c', 'fmt.c', 'kio.c', 'mem.c', 'trap.c'].map((f) => join(runtime, f));
      execFileSync(
        TOOL_PREFIX + 'gcc',
        [...CFLAGS, '-fno-merge-constants', '-I', runtime, '-c', ...c, join(root, 'programs', 'c', 'sort.c')],
        { cwd: work },
      );
      const cObjs = ['console.o', 'fmt.o', 'kio.o', 'mem.o', 'trap.o', 'sort.o'].map((f) => join(work, f));
      for (const f of ['crt0', 'trap']) {
        execFileSync(TOOL_PREFIX + 'as', ['-march=rv32im_zicsr', '-mabi=ilp32', join(runtime, `${f}.s`), '-o', join(work, `${f}-gnu.o`)]);
        writeFileSync(join(work, `${f}-ours.o`), assembleObject(readFileSync(join(runtime, `${f}.s`), 'utf8'), { file: `${f}.s` }).bytes);
      }
      const script = { file: 'linker.ld', text: readFileSync(join(runtime, 'linker.ld'), 'utf8') };
      for (const kind of ['gnu', 'ours']) {
        const objs = [join(work, `crt0-${kind}.o`), join(work, `trap-${kind}.o`), ...cObjs];
        const gnuElf = join(work, `${kind}.elf`);
        execFileSync(TOOL_PREFIX + 'ld', [
          '-m',
          'elf32lriscv',
          '--no-relax',
          '--no-warn-rwx-segments',
          '-T',
          join(runtime, 'linker.ld'),
          '-o',
          gnuElf,
          ...objs,
        ]);
        const ours = toElf(
          link(
            objs.map((f) => ({ file: f, bytes: readFileSync(f) })),
            { script },
          ),
        );
        const expected = sections(readFileSync(gnuElf));
        expect(sections(ours)).toEqual(expected);
        expect(Object.keys(expected)).toEqual(['entry', '.text', '.rodata', '.data', '.bss', 'globals']);
      }
    });

    it('deletes the padding R_RISCV_ALIGN marks (GNU as with relaxation), as GNU ld --no-relax does', () => {
      const src =
        '.globl _start\n_start: call f\n beqz a0, .Lend\n nop\n.align 4\nf: addi a0, a0, 1\n bnez a0, _start\n.align 3\n.Lend: ret\n.align 5\ng: j f\n.section .rodata\n.word f, g, .Lend, _start+4\n';
      writeFileSync(join(work, 'al.s'), src);
      execFileSync(TOOL_PREFIX + 'as', ['-march=rv32im_zicsr', '-mabi=ilp32', join(work, 'al.s'), '-o', join(work, 'al.o')]);
      const layout = join(root, 'test', 'asm', 'layout.ld');
      execFileSync(TOOL_PREFIX + 'ld', ['-m', 'elf32lriscv', '--no-relax', '-T', layout, join(work, 'al.o'), '-o', join(work, 'al.elf')]);
      const ours = toElf(
        link([{ file: 'al.o', bytes: readFileSync(join(work, 'al.o')) }], {
          script: { file: 'layout.ld', text: readFileSync(layout, 'utf8') },
        }),
      );
      const { globals: _g, ...expected } = sections(readFileSync(join(work, 'al.elf')));
      const { globals: _o, ...actual } = sections(ours);
      expect(actual).toEqual(expected);
      expect((expected['.text'] as { size: number }).size).toBe(56); // 96 bytes in the object, padding included
    });

    it('allocates COMMON symbols once, at their largest size and alignment', () => {
      for (const [f, src] of [
        ['c1', '.globl _start\n_start: la a0, buf\n.comm buf, 8, 4\n'],
        ['c2', '.comm buf, 16, 8\n.comm other, 4, 4\n.globl x\n.data\nx: .word 1\n'],
      ] as const) {
        writeFileSync(join(work, `${f}.s`), src);
        execFileSync(TOOL_PREFIX + 'as', ['-march=rv32im_zicsr', '-mabi=ilp32', join(work, `${f}.s`), '-o', join(work, `${f}.o`)]);
      }
      const objs = ['c1.o', 'c2.o'].map((f) => join(work, f));
      const r = link(
        objs.map((f) => ({ file: f, bytes: readFileSync(f) })),
        { text: 0x80000000 },
      );
      expect(r.outputs.map((o) => `${o.name}@${o.addr.toString(16)}+${o.size}`)).toEqual([
        '.text@80000000+8',
        '.data@80000008+4',
        '.bss@80000010+20',
      ]);
      expect([symbol(r, 'buf'), symbol(r, 'other')]).toEqual([0x80000010, 0x80000020]);
    });
  },
  true,
);
