/**
 * `shadowvm step` read from stdin: in-process with scripted lines, then the real binary with piped stdin and
 * through a pseudo-terminal (tmux), as a user types at it. Each command keeps to the budget and the timeout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliWith } from './helpers.js';
import { programPath, ROOT } from '../programs.js';
import { Stepper, HELP } from '../../src/cli/stepper.js';
import { loadProgram } from '../../src/asm/load.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-step-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BIN = join(ROOT, 'bin', 'shadowvm.js');
const HELLO = programPath('hello.s');
const LOOP = join(dir, 'loop.s');
writeFileSync(LOOP, 'nop\nspin: addi a0, a0, 1\nj spin\n');

describe('step from stdin, in-process', () => {
  it('piped lines: each command echoed and run, exactly as --script runs them', async () => {
    const piped = await cliWith({ lines: ['s 3', 'e', 'q'], stdinIsTTY: false }, 'step', HELLO, '--epoch', '16');
    const script = await cli('step', HELLO, '--epoch', '16', '--script', 's 3; e; q');
    expect(piped.code).toBe(0);
    expect(piped.out).toBe(script.out);
    expect(piped.out).toMatch(/epoch 1 {2}rr 13 {2}instret 3 +\| epoch 1 {2}rr 0 {2}instret 0/);
    expect(piped.prompts).toEqual(['step> ', 'step> ', 'step> ']);
  });

  it('more than one command, and the end of the input ends the session with 0 (no q needed)', async () => {
    const r = await cliWith({ lines: ['s 2', 's 3'], stdinIsTTY: false }, 'step', HELLO);
    expect(r.code).toBe(0);
    expect(r.out).toContain('> s 2\n');
    expect(r.out).toContain('> s 3\n');
    expect(r.out).toMatch(/instret 5 /);
  });

  it('a terminal: the command list first (not with --quiet), no echo, a newline at Ctrl-D', async () => {
    const tty = await cliWith({ lines: ['s 1'], stdinIsTTY: true }, 'step', HELLO);
    expect(tty.code).toBe(0);
    expect(tty.out).toContain(HELP);
    expect(tty.out).not.toContain('> s 1');
    expect(tty.out.endsWith('channel: 0 message(s) (empty)\n\n')).toBe(true);
    expect((await cliWith({ lines: [], stdinIsTTY: true }, 'step', HELLO, '--quiet')).out).not.toContain(HELP);
  });

  it('refuses - as PROGRAM and --input - without --script: stdin carries the commands', async () => {
    expect((await cliWith({ lines: [], stdin: '' }, 'step', '-')).err).toMatch(
      /^shadowvm step: step reads its commands from stdin: give the program as a file, or the commands with --script\n/,
    );
    expect((await cliWith({ lines: [] }, 'step', HELLO, '--input', '-')).err).toMatch(
      /^shadowvm step: step reads its commands from stdin: --input - needs --script\n/,
    );
  });
});

describe('step --backups K', () => {
  it('steps a group, a column per replica; --rebackup-after needs --backups', async () => {
    const r = await cli('step', programPath('counter.elf'), '--ram', '2', '--backups', '3', '--script', 'e; f 2; q');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(
      'PRIMARY (rank 0) [primary] running         | BACKUP (rank 1) [backup] running           | BACKUP2 (rank 2) [backup] running          | BACKUP3 (rank 3) [backup] running',
    );
    expect(r.out).toContain('\n> f 2\nbackup2 (rank 2) fail-stops at instret 4096, pc 80000024\nthe primary goes on with 2 backup(s)\n');
    const bad = await cli('step', programPath('counter.elf'), '--rebackup-after', '2', '--script', 'q');
    expect([bad.code, bad.err.split('\n')[0]]).toEqual([64, 'shadowvm step: --rebackup-after needs --backups K']);
  });
});

describe('step --web', () => {
  it('refuses --port without --web, and --web with --script', async () => {
    const a = await cli('step', programPath('ledger.elf'), '--port', '9000');
    expect([a.code, a.err.split('\n')[0]]).toEqual([64, 'shadowvm step: --port needs --web']);
    const b = await cli('step', programPath('ledger.elf'), '--web', '--script', 's');
    expect([b.code, b.err.split('\n')[0]]).toEqual([64, 'shadowvm step: choose one of --web and --script']);
  });
});

describe('step keeps to the budget and the timeout', () => {
  it('s, e, g and c stop at --max-instructions with the budget line', async () => {
    const r = await cli('step', LOOP, '--max-instructions', '100', '--epoch', '1000', '--script', 's 500; e; g 0x90000000; c; q');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const budget = 'budget reached: 100 instructions at pc 0x80000008 (spin+0x4); raise it with --max-instructions N';
    expect(lines.filter((l) => l === budget).length).toBeGreaterThanOrEqual(3);
    expect(r.out).toContain('did not reach 0x90000000\n');
    expect(r.out).toMatch(/run ended: budget reached: 100 instructions at pc 0x8000000[48]/);
    expect(r.out).toMatch(/instret 100 /);
  });

  it('a command stops at --timeout with the timeout line, and the session goes on', () => {
    let t = 0;
    const stepper = new Stepper(loadProgram(LOOP), { maxInstructions: 1e9 }, false, {
      timeoutSec: 1,
      now: () => (t += 400) - 400,
      checkEvery: 100,
    });
    const first = stepper.command('g 0x90000000').output;
    // The deadline is set at t=0; looks at steps 100, 200, 300 read 400, 800, 1200 ms: the third is past 1 s.
    expect(first).toMatch(
      /^timeout: 1 s elapsed after 299 instructions at pc 0x8000000[48] \(spin(\+0x4)?\); raise it with --timeout SEC\ndid not reach 0x90000000\n/,
    );
    const next = stepper.command('s 2').output;
    expect(next).toMatch(/instret 301 /);
  });
});

/** The real binary, stdin piped. */
function piped(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('step through the real binary with piped stdin', () => {
  it('runs every command line, then exits 0 at the end of the input', () => {
    const r = piped(['step', HELLO, '--epoch', '64'], 's 10\ns 5\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('> s 10\n');
    expect(r.stdout).toMatch(/epoch 1 {2}rr 54 {2}instret 10 /);
    expect(r.stdout).toMatch(/epoch 1 {2}rr 49 {2}instret 15 /);
  }, 120_000);
});

const TMUX = '/usr/bin/tmux';
const hasTmux = existsSync(TMUX);
if (!hasTmux) process.stderr.write(`SKIPPED "step in a terminal": tmux is not installed (${TMUX})\n`);

/** One tmux server of this test's own (its own socket), running a command in a pseudo-terminal. */
class Terminal {
  private readonly socket = join(dir, `tmux-${Math.random().toString(36).slice(2)}.sock`);

  constructor(command: string) {
    this.tmux('new-session', '-d', '-x', '160', '-y', '60', command);
  }

  private tmux(...args: string[]): string {
    const r = spawnSync(TMUX, ['-S', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`);
    return r.stdout;
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-S', '-');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** Waits until the screen shows `text` (as many times as `count`), up to 45 s (tmux trims trailing spaces). */
  async waitFor(text: string, count = 1): Promise<string> {
    for (let i = 0; i < 450; i++) {
      const s = this.screen();
      if (s.split(text).length - 1 >= count) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the terminal never showed '${text}' x${count}:\n${this.screen()}`);
  }

  close(): void {
    spawnSync(TMUX, ['-S', this.socket, 'kill-server'], { stdio: 'ignore' });
  }
}

describe.skipIf(!hasTmux)('step in a terminal (a tmux pseudo-terminal)', () => {
  const command = `${process.execPath} ${BIN} step ${HELLO} --epoch 64; echo EXIT=$?; sleep 60`;

  it('prompts, runs each typed command, and quits on q with exit 0', async () => {
    const term = new Terminal(command);
    try {
      await term.waitFor('step>');
      expect(term.screen()).toContain('s [N]      step the primary N instructions');
      term.keys('s 10', 'Enter');
      await term.waitFor('instret 10 ');
      await term.waitFor('step>', 2);
      term.keys('e', 'Enter');
      await term.waitFor('primary: epoch');
      await term.waitFor('step>', 3);
      term.keys('q', 'Enter');
      const screen = await term.waitFor('EXIT=0');
      expect(screen).toContain('step> s 10');
      expect(screen).toContain('step> e');
    } finally {
      term.close();
    }
  }, 120_000);

  it('Ctrl-D and Ctrl-C end the session with exit 0', async () => {
    for (const key of ['C-d', 'C-c']) {
      const term = new Terminal(command);
      try {
        await term.waitFor('step>');
        term.keys(key);
        await term.waitFor('EXIT=0');
      } finally {
        term.close();
      }
    }
  }, 120_000);
});
