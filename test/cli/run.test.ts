import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { disassemble } from '../../src/asm/disasm.js';

let dir: string;
const RUN_USAGE =
  'Usage: shadowvm run PROGRAM [--json] [--max-instructions N] [--timeout SEC] [--seed S] [--disk FILE] [--input FILE] [--ram MiB] [--gdb PORT]\n';
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const HELLO = `
    li t0, 8
    csrw xioqn, t0
    li t0, 0x80100000
    csrw xioq, t0
    la a0, connect
    io a1, a0
    la a0, write
    io a1, a0
    la a0, read
    io a1, a0
    li t1, 0x80100004
wait:
    lw t2, 0(t1)
    li t3, 3
    bltu t2, t3, wait
    la t4, buf
    lbu a0, 0(t4)
    halt a0
    .data
connect: .word 1, 0, 1, 0, 0, 0, 0, 0
write:   .word 3, 0, 2, msg, 6, 0, 0, 0
read:    .word 2, 0, 3, buf, 1, 0, 0, 0
msg:     .ascii "hello\\n"
buf:     .byte 0
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shadowvm-run-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shadowvm run', () => {
  it('prints the console output and exits with the halt code; a code outside 0..63 exits 67', async () => {
    const input = file('in.txt', 'Z');
    const r = await cli('run', file('hello.s', HELLO), '--input', input);
    expect(r).toMatchObject({ code: 67, out: 'hello\n', err: '' }); // the guest halts with 90 ('Z')
    expect((await cli('run', file('h5.s', 'li a0, 5\nhalt a0\n'))).code).toBe(5);
    expect((await cli('run', file('h63.s', 'li a0, 63\nhalt a0\n'))).code).toBe(63);
    expect((await cli('run', file('h256.s', 'li a0, 256\nhalt a0\n'))).code).toBe(67);
    expect(JSON.parse((await cli('run', file('h256.s', 'li a0, 256\nhalt a0\n'), '--json')).out).exitCode).toBe(256);
  });

  it('--exit-code-from status exits 0 whenever the guest halted, and keeps host outcomes', async () => {
    expect((await cli('run', file('h9.s', 'li a0, 9\nhalt a0\n'), '--exit-code-from', 'status')).code).toBe(0);
    expect((await cli('run', file('f.s', 'lw a0, 0(zero)\n'), '--exit-code-from', 'status')).code).toBe(68);
    expect(await cli('run', file('h9.s', 'li a0, 9\nhalt a0\n'), '--exit-code-from', 'host')).toMatchObject({
      code: 64,
      out: '',
      err: `shadowvm run: --exit-code-from: expected guest or status, got 'host'\n${RUN_USAGE}`,
    });
  });

  it('--json: one object with exit code, instructions, pc, registers, console and stop', async () => {
    const r = await cli('run', file('hello.s', HELLO), '--json', '--seed', '7');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(['exitCode', 'instructions', 'pc', 'regs', 'console', 'stop']);
    expect(j).toMatchObject({ exitCode: 0, console: 'hello\n', stop: 'halt' });
    expect(j.regs).toHaveLength(32);
    expect(j.instructions).toBeGreaterThan(10);
  });

  it('a guest fault exits 68 with the reason on one line', async () => {
    const r = await cli('run', file('fault.s', 'nop\nlw a0, 0(zero)\n'));
    expect(r.code).toBe(68);
    expect(r.out).toBe('');
    // The instruction is shown as the project's disassembler shows it.
    const insn = disassemble(0x00002503, 0x80000004);
    expect(insn).toMatch(/^lw\s+a0,\s*0\(zero\)/);
    expect(r.err).toBe(`guest fault at pc 0x80000004: load access fault (cause 5, tval 0x0) with no trap handler: ${insn}\n`);
  });

  it('names the fetch causes: a jump out of RAM and a misaligned jump', async () => {
    const out = await cli('run', file('jump-out.s', 'li t0, 0x10000\njr t0\n'));
    expect(out.code).toBe(68);
    expect(out.err).toBe(
      'guest fault at pc 0x00010000: instruction access fault (cause 1, tval 0x10000) with no trap handler: <pc outside RAM>\n',
    );
    const odd = await cli('run', file('jump-odd.s', 'la t0, x\njr 2(t0)\nx: nop\n'));
    expect(odd.code).toBe(68);
    expect(odd.err).toMatch(
      /^guest fault at pc 0x80000008: misaligned instruction address \(cause 0, tval 0x8000000e\) with no trap handler: /,
    );
  });

  it('an exhausted budget exits 69 and names the pc and its symbol; a deadlock exits 68 and says so', async () => {
    const loop = await cli('run', file('loop.s', 'nop\nspin: j spin\n'), '--max-instructions', '500');
    expect(loop).toMatchObject({
      code: 69,
      err: 'budget reached: 500 instructions at pc 0x80000004 (spin); raise it with --max-instructions N\n',
    });
    const json = await cli('run', file('loop.s', 'l: j l\n'), '--max-instructions', '500', '--json');
    expect(json.code).toBe(69);
    expect(JSON.parse(json.out)).toMatchObject({ stop: 'budget', instructions: 500 });
    const dead = await cli('run', file('wfi.s', 'wfi\n'));
    expect(dead).toMatchObject({
      code: 68,
      err: 'deadlock: the guest waits (wfi) for an interrupt that nothing can raise, after 1 instructions at pc 0x80000004\n',
    });
  });

  it('missing or unreadable files exit 66 with a clear message', async () => {
    expect(await cli('run', join(dir, 'nope.elf'))).toMatchObject({
      code: 66,
      err: `cannot read '${join(dir, 'nope.elf')}': no such file\n`,
    });
    expect(await cli('run', file('x.s', HELLO), '--disk', join(dir, 'no.img'))).toMatchObject({
      code: 66,
      err: `cannot read disk image '${join(dir, 'no.img')}': ENOENT\n`,
    });
    expect((await cli('run')).code).toBe(64);
    expect((await cli('run', 'a', '--ram', '0')).err).toBe(
      `shadowvm run: --ram: expected an integer from 1 to 1024, got '0'\n${RUN_USAGE}`,
    );
  });

  it('different seeds give the same output for a deterministic guest', async () => {
    const a = await cli('run', file('hello.s', HELLO), '--json', '--seed', '1');
    const b = await cli('run', file('hello.s', HELLO), '--json', '--seed', '2');
    expect(JSON.parse(a.out).console).toBe(JSON.parse(b.out).console);
  });
});

describe('shadowvm run --summary', () => {
  it('one line on stderr at the end, after the reason of a run that did not halt; stdout untouched', async () => {
    const hello = join(import.meta.dirname, '..', '..', 'programs', 'hello.s');
    const ok = await cli('run', hello, '--summary');
    expect(ok).toMatchObject({ code: 13, out: 'hello, world\n' });
    expect(ok.err).toMatch(/^shadowvm run: halted with exit code 13; 107 instructions; \d+\.\d\d s\n$/);
    const budget = await cli('run', hello, '--summary', '--max-instructions', '10');
    expect(budget.code).toBe(69);
    expect(budget.err).toMatch(
      /^budget reached: 10 instructions at pc 0x80000028 \(start\+0x28\); raise it with --max-instructions N\nshadowvm run: budget; 10 instructions; \d+\.\d\d s\n$/,
    );
    expect((await cli('run', hello)).err).toBe('');
  });
});
