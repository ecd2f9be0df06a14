/** `-` for stdin and stdout, and the guest console reading stdin when --input is absent: in-process and through the real binary. */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliWith } from './helpers.js';
import { programPath, ROOT } from '../programs.js';
import { looksLikeText } from '../../src/cli/stdin.js';
import { readAllStdin } from '../../src/cli/read-stdin.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-stdin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BIN = join(ROOT, 'bin', 'shadowvm.js');
const HELLO = readFileSync(programPath('hello.s'), 'utf8');
const ECHO = programPath('echo.elf');

/** The real binary with `input` piped to its stdin. */
function shadowvm(args: string[], input?: string | Uint8Array): { status: number | null; stdout: string; stderr: string; raw: Buffer } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), raw: r.stdout };
}

describe('- as PROGRAM', () => {
  it('reads assembly source, an ELF file or a flat binary from stdin', async () => {
    expect(await cliWith({ stdin: HELLO }, 'run', '-')).toMatchObject({ code: 13, out: 'hello, world\n', err: '' });
    const elf = await cliWith({ stdin: HELLO }, 'asm', '-', '-o', '-');
    expect(elf.code).toBe(0);
    expect(Array.from(elf.bytes[0]!.subarray(0, 4))).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(await cliWith({ stdin: elf.bytes[0]! }, 'pair', '-')).toMatchObject({ code: 13, out: 'hello, world\n' });
    const bin = await cliWith({ stdin: HELLO }, 'asm', '-', '-o', '-', '--format', 'bin');
    expect(looksLikeText(bin.bytes[0]!)).toBe(false);
    expect(await cliWith({ stdin: bin.bytes[0]! }, 'run', '-')).toMatchObject({ code: 13, out: 'hello, world\n' });
    expect((await cliWith({ stdin: elf.bytes[0]! }, 'disasm', '-')).out).toMatch(/^\n<stdin>: {5}file format elf32-littleriscv\n/);
  });

  it('names stdin in assembly errors, and refuses a terminal or an empty stdin', async () => {
    expect(await cliWith({ stdin: 'nop\nbogus a0\n' }, 'run', '-')).toMatchObject({
      code: 65,
      err: "<stdin>:2:1: error: unknown mnemonic 'bogus'\nbogus a0\n^\n",
    });
    expect(await cliWith({ stdin: '', stdinIsTTY: true }, 'run', '-')).toMatchObject({
      code: 64,
      err: "shadowvm run: '-' reads the program from stdin, but stdin is a terminal: pipe or redirect it\nUsage: shadowvm run PROGRAM [--json] [--max-instructions N] [--timeout SEC] [--seed S] [--disk FILE] [--input FILE] [--ram MiB] [--gdb PORT]\n",
    });
    expect(await cliWith({ stdin: '' }, 'run', '-')).toMatchObject({ code: 65, err: '<stdin>: empty program\n' });
  });

  it('-o - refuses to write a binary to a terminal', async () => {
    const r = await cliWith({ stdin: HELLO, isTTY: true }, 'asm', '-', '-o', '-');
    expect(r).toMatchObject({ code: 64, out: '' });
    expect(r.err).toBe(
      'shadowvm asm: -o -: stdout is a terminal; redirect it to a file or a pipe, or give -o FILE\nUsage: shadowvm asm IN.s [MORE.s ...] -o OUT [-c] [--format elf|bin] [-T script.ld | --text ADDR]\n',
    );
  });
});

describe('the guest console reads stdin when --input is absent and stdin is not a terminal', () => {
  it('run and pair echo piped stdin; --input FILE wins; a terminal is never read', async () => {
    expect(await cliWith({ stdin: 'piped line\n' }, 'run', ECHO)).toMatchObject({ out: expect.stringContaining('piped line') });
    expect(await cliWith({ stdin: 'piped line\n' }, 'pair', ECHO)).toMatchObject({ out: expect.stringContaining('piped line') });
    const file = join(dir, 'in.txt');
    writeFileSync(file, 'from the file\n');
    const fromFile = await cliWith({ stdin: 'piped line\n' }, 'run', ECHO, '--input', file);
    expect(fromFile.out).toContain('from the file');
    expect(fromFile.stdinReads).toBe(0);
    const tty = await cliWith({ stdin: 'typed\n', stdinIsTTY: true }, 'run', ECHO);
    expect(tty.stdinReads).toBe(0);
    expect(tty.out).not.toContain('typed');
    expect((await cliWith({ stdin: 'dash\n', stdinIsTTY: false }, 'run', ECHO, '--input', '-')).out).toContain('dash');
  });

  it('is read lazily: a guest that never reads the console never touches stdin', async () => {
    const r = await cliWith({ stdin: 'unused' }, 'run', programPath('hello.s'));
    expect(r).toMatchObject({ code: 13, stdinReads: 0 });
  });

  it('cannot carry both the program and the console input', async () => {
    expect((await cliWith({ stdin: HELLO }, 'run', '-', '--input', '-')).err).toMatch(
      /^shadowvm run: stdin cannot carry both the program \('-'\) and the console input \(--input -\)\n/,
    );
  });
});

describe('through the real binary', () => {
  it('asm -o - | run -, and the console from a pipe', () => {
    const elf = shadowvm(['asm', programPath('hello.s'), '-o', '-']);
    expect(elf.status).toBe(0);
    expect(elf.raw.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(shadowvm(['run', '-'], elf.raw)).toMatchObject({ status: 13, stdout: 'hello, world\n', stderr: '' });
    expect(shadowvm(['run', '-'], HELLO)).toMatchObject({ status: 13, stdout: 'hello, world\n' });
    expect(shadowvm(['run', ECHO], 'through a pipe\n').stdout).toContain('through a pipe');
  }, 120_000);

  it('readAllStdin reads a descriptor to its end, past one read', () => {
    const file = join(dir, 'big.bin');
    writeFileSync(file, Buffer.alloc(200_000, 7));
    const fd = openSync(file, 'r');
    try {
      const bytes = readAllStdin(fd);
      expect(bytes.length).toBe(200_000);
      expect(bytes.every((b) => b === 7)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });
});
