/** `shadowvm asm` and `shadowvm disasm`, run in-process through main() with captured output. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/command.js';
import { readElf } from '../../src/asm/elf-read.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text?: string | Uint8Array): string => {
  const p = join(dir, name);
  if (text !== undefined) writeFileSync(p, text);
  return p;
};

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = { code: 0, out: '', err: '' };
  const io: CliIo = { stdout: (t) => void (r.out += t), stderr: (t) => void (r.err += t), isTTY: false };
  r.code = await main(argv, io);
  return r;
}

const SOURCE = '    .globl _start\n_start:\n    li a0, 5\nloop:\n    addi a0, a0, -1\n    bnez a0, loop\n    halt a0\n';

describe('shadowvm asm', () => {
  it('writes an ELF executable by default, silently', async () => {
    const out = file('p.elf');
    expect(await cli('asm', file('p.s', SOURCE), '-o', out)).toEqual({ code: 0, out: '', err: '' });
    const image = readElf(readFileSync(out));
    expect(image.entry).toBe(0x80000000);
    expect(image.symbols).toEqual([
      { name: '_start', addr: 0x80000000 },
      { name: 'loop', addr: 0x80000004 },
    ]);
  });

  it('writes a flat binary with --format bin', async () => {
    const out = file('p.bin');
    expect((await cli('asm', file('p.s', SOURCE), '--format', 'bin', '-o', out)).code).toBe(0);
    expect(readFileSync(out).toString('hex')).toBe('13055000' + '1305f5ff' + 'e31e05fe' + '2b100500');
  });

  it('prints warnings on stderr and still succeeds', async () => {
    const r = await cli('asm', file('w.s', '.data\n.byte 300\n'), '-o', file('w.elf'));
    expect(r).toEqual({ code: 0, out: '', err: `${join(dir, 'w.s')}:2:7: warning: value 0x12c truncated to 0x2c\n.byte 300\n      ^\n` });
  });

  it('exits 65 (bad input data) with the messages on stderr when the source has errors', async () => {
    const src = file('bad.s', 'nop\naddi a0, a0, 5000\n');
    expect(await cli('asm', src, '-o', file('bad.elf'))).toEqual({
      code: 65,
      out: '',
      err: `${src}:2:14: error: immediate 5000 out of range -2048..2047\naddi a0, a0, 5000\n             ^\n`,
    });
  });

  it('exits 66 for a missing file, 64 for bad usage', async () => {
    const missing = join(dir, 'nope.s');
    expect(await cli('asm', missing, '-o', file('x'))).toEqual({ code: 66, out: '', err: `cannot read '${missing}': no such file\n` });
    expect(await cli('asm', file('p.s'))).toEqual({
      code: 64,
      out: '',
      err: 'shadowvm asm: missing -o OUT\nUsage: shadowvm asm IN.s [MORE.s ...] -o OUT [-c] [--format elf|bin] [-T script.ld | --text ADDR]\n',
    });
    expect(await cli('asm', file('p.s'), '-o', file('x'), '--format', 'hex')).toEqual({
      code: 64,
      out: '',
      err: "shadowvm asm: --format: expected elf or bin, got 'hex'\nUsage: shadowvm asm IN.s [MORE.s ...] -o OUT [-c] [--format elf|bin] [-T script.ld | --text ADDR]\n",
    });
    expect(await cli('asm', '-o', file('x'))).toEqual({
      code: 64,
      out: '',
      err: 'shadowvm asm: expected a source file, got 0\nUsage: shadowvm asm IN.s [MORE.s ...] -o OUT [-c] [--format elf|bin] [-T script.ld | --text ADDR]\n',
    });
    expect(await cli('asm', file('p.s'), '-o', join(dir, 'no', 'such', 'dir.elf'))).toMatchObject({ code: 66, out: '' });
  });

  it('has --help from its option table', async () => {
    const r = await cli('asm', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'Usage: shadowvm asm IN.s [MORE.s ...] -o OUT [-c] [--format elf|bin] [-T script.ld | --text ADDR]\n\nassemble a program (GNU as syntax) into an ELF executable, a flat binary or a relocatable object; several files are linked\n\nOptions:\n' +
        '  -o, --output OUT           the file to write (required), - for stdout\n' +
        '  -f, --format elf|bin       ELF32 executable (default) or flat binary loaded at 0x80000000\n' +
        '  -c, --compile              write a relocatable object (ELF32 ET_REL) to link later\n' +
        '  -T, --script script.ld     the linker script (the subset programs/runtime/linker.ld uses)\n' +
        '  --text ADDR                without -T: the address of the code, followed by read-only data, data and bss (default 0x80000000)\n' +
        '  -q, --quiet                print results and errors only: no notes, progress bars or summaries\n',
    );
  });
});

describe('shadowvm disasm', () => {
  const LISTING = (name: string, format: string) =>
    `\n${name}:     file format ${format}\n\n\nDisassembly of section .text:\n\n` +
    '80000000 <_start>:\n' +
    '80000000:\t00500513          \tli\ta0,5\n\n' +
    '80000004 <loop>:\n' +
    '80000004:\tfff50513          \tadd\ta0,a0,-1\n' +
    '80000008:\tfe051ee3          \tbnez\ta0,80000004 <loop>\n' +
    '8000000c:\t0005102b          \thalt\ta0\n';

  it('lists an ELF executable as objdump -d does', async () => {
    const elf = file('d.elf');
    await cli('asm', file('d.s', SOURCE), '-o', elf);
    expect(await cli('disasm', elf)).toEqual({ code: 0, out: LISTING(elf, 'elf32-littleriscv'), err: '' });
  });

  it('lists assembly source through its ELF', async () => {
    const src = file('d.s', SOURCE);
    expect((await cli('disasm', src)).out).toBe(LISTING(src, 'elf32-littleriscv'));
  });

  it('lists a flat binary from RAM_BASE without symbols', async () => {
    const bin = file('d.bin');
    await cli('asm', file('d.s', SOURCE), '-o', bin, '--format', 'bin');
    expect((await cli('disasm', bin)).out).toBe(
      `\n${bin}:     file format binary\n\n\nDisassembly of section .text:\n\n80000000 <.text>:\n` +
        '80000000:\t00500513          \tli\ta0,5\n' +
        '80000004:\tfff50513          \tadd\ta0,a0,-1\n' +
        '80000008:\tfe051ee3          \tbnez\ta0,0x80000004\n' +
        '8000000c:\t0005102b          \thalt\ta0\n',
    );
  });

  it("--describe appends each instruction's definition from the instruction table, after objdump's own comment", async () => {
    const src = file('d.s', '_start:\n    lw a0, 8(sp)\n    la a1, _start\n    bnez a0, _start\n    halt a0\n');
    const lines = (await cli('disasm', src, '--describe')).out.split('\n').filter((l) => /^8/.test(l) && l.includes(':\t'));
    expect(lines.map((l) => l.split('\t').slice(2).join('\t'))).toEqual([
      'lw\ta0,8(sp)\t# rd = mem32[rs1 + imm]',
      'auipc\ta1,0x0\t# rd = pc + imm',
      'add\ta1,a1,-4 # 80000000 <_start>; rd = rs1 + imm',
      'bnez\ta0,80000000 <_start>\t# if (rs1 !== rs2) pc = pc + imm',
      'halt\ta0\t# stop the machine; the exit code is rs1',
    ]);
    // Without the flag, the listing is objdump's.
    expect((await cli('disasm', src)).out).not.toContain('rd =');
  });

  it('exits 66 for a missing file, 65 for a malformed one, 64 for bad usage', async () => {
    const missing = join(dir, 'nope.elf');
    expect(await cli('disasm', missing)).toEqual({ code: 66, out: '', err: `cannot read '${missing}': no such file\n` });
    const bad = file('bad.elf', Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2]));
    expect(await cli('disasm', bad)).toEqual({ code: 65, out: '', err: `${bad}: truncated ELF header (52 bytes needed, 5 found)\n` });
    expect(await cli('disasm')).toEqual({
      code: 64,
      out: '',
      err: 'shadowvm disasm: expected one program file, got 0\nUsage: shadowvm disasm FILE [--describe]\n',
    });
  });
});
