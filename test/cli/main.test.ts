/** The conventions every command shares: --version, help topics, did-you-mean, clean usage errors, --quiet, colour. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, cliWith } from './helpers.js';
import { programPath } from '../programs.js';
import { EXIT_TABLE } from '../../src/cli/exit-codes.js';
import { colorAllowed } from '../../src/cli/process-io.js';

const PAIR_USAGE =
  'Usage: shadowvm pair PROGRAM [--epoch N] [--json] [--seed S] [--drain-priv 0|1] [--drain-ends-epoch] [--check-digests] [--no-protocol] [--fail-at POINT [--fail-side primary|backup]] [--timeout SEC] [--gdb PORT [--replica primary|backup|N]]\n';

describe('shadowvm --version and help', () => {
  it('--version and -V print the package version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await cli('--version')).toMatchObject({ code: 0, out: `shadowvm ${version}\n`, err: '' });
    expect((await cli('-V')).out).toBe(`shadowvm ${version}\n`);
  });

  it('help CMD is CMD --help; help exit-codes prints the one table', async () => {
    const viaHelp = await cli('help', 'run');
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toBe((await cli('run', '--help')).out);
    expect(viaHelp.out).toContain('  --timeout SEC              stop after SEC seconds of wall-clock time, exit 69');
    expect(viaHelp.out).toContain(`  --max-instructions N       instruction budget (default 50000000)\n`);
    expect(viaHelp.out).toContain('  -q, --quiet                print results and errors only');
    const codes = await cli('help', 'exit-codes');
    expect(codes.code).toBe(0);
    expect(codes.out.split('\n').slice(2, -1)).toEqual(EXIT_TABLE.map(([c, m]) => `  ${c.padEnd(6)} ${m}`));
    expect(codes.out).toContain('  69     the instruction budget or --timeout ran out\n');
  });

  it('step and pair show the shared budget and the timeout in --help', async () => {
    for (const c of ['pair', 'step', 'demo']) {
      const out = (await cli(c, '--help')).out;
      expect(out).toMatch(/--max-instructions N +instruction budget (per computer |of each run )?\(default 50000000\)/);
      expect(out).toContain('--timeout SEC');
    }
  });

  it('an unknown help topic gets a suggestion and the list of topics, exit 64', async () => {
    expect(await cli('help', 'rn')).toMatchObject({
      code: 64,
      out: '',
      err: "shadowvm help: unknown topic 'rn' (did you mean run?)\nTopics: demo, run, pair, step, fuzz, fuzz-merge, fuzz-sequences, asm, link, disasm, exit-codes\n",
    });
  });

  it('no command at all: the overview on stderr, exit 64; --help: on stdout, exit 0', async () => {
    const none = await cli();
    expect(none).toMatchObject({ code: 64, out: '' });
    expect(none.err).toMatch(/^Usage: shadowvm COMMAND \[options\]\n/);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toBe(none.err);
    expect(help.out).toContain('NO_COLOR');
  });
});

describe('usage errors', () => {
  it('an unknown command or top-level option: did you mean, the usage line, exit 64', async () => {
    expect(await cli('rnu', 'x.s')).toMatchObject({
      code: 64,
      out: '',
      err: "shadowvm: unknown command 'rnu' (did you mean run?)\nUsage: shadowvm COMMAND [options]\nRun 'shadowvm help' for the list of commands.\n",
    });
    expect((await cli('--verison')).err).toBe(
      "shadowvm: unknown option '--verison' (did you mean --version?)\nUsage: shadowvm COMMAND [options]\nRun 'shadowvm help' for the list of commands.\n",
    );
    expect((await cli('frobnicate')).err).toBe(
      "shadowvm: unknown command 'frobnicate'\nUsage: shadowvm COMMAND [options]\nRun 'shadowvm help' for the list of commands.\n",
    );
  });

  it("an unknown flag: the user's word, a suggestion, the usage line, exit 64 (not Node's text)", async () => {
    expect(await cli('pair', programPath('hello.s'), '--epoc', '5')).toMatchObject({
      code: 64,
      out: '',
      err: `shadowvm pair: unknown option '--epoc' (did you mean --epoch?)\n${PAIR_USAGE}Run 'shadowvm help pair' for all its options.\n`,
    });
  });

  it("--epoch -5 reaches the option's own check, not Node's 'argument is ambiguous'", async () => {
    expect(await cli('pair', programPath('hello.s'), '--epoch', '-5')).toMatchObject({
      code: 64,
      out: '',
      err: `shadowvm pair: --epoch: expected an integer from 1 to 1073741824, got '-5'\n${PAIR_USAGE}`,
    });
    expect((await cli('run', programPath('hello.s'), '--seed', '-1')).err).toMatch(
      /^shadowvm run: --seed: expected an integer from 0 to 4294967295, got '-1'\nUsage: shadowvm run PROGRAM/,
    );
    expect((await cli('run', programPath('hello.s'), '--timeout', '-1')).err).toMatch(
      /^shadowvm run: --timeout: expected a number of seconds greater than 0, got '-1'\nUsage: /,
    );
    expect((await cli('run', programPath('hello.s'), '--timeout', '0')).code).toBe(64);
  });
});

describe('--quiet', () => {
  it('drops notes and summaries, keeps results and errors', async () => {
    const loud = await cli('pair', programPath('hello.s'), '--fail-at', 'event:1000', '--summary');
    expect(loud.err).toMatch(/^note: --fail-at event:1000 was never reached/);
    expect(loud.err).toMatch(
      /\nshadowvm pair: halted with exit code 13; 107 instructions; \d+ epochs; \d+ messages; no failover; \d+\.\d\d s\n$/,
    );
    const quiet = await cli('pair', programPath('hello.s'), '--fail-at', 'event:1000', '--summary', '-q');
    expect(quiet).toMatchObject({ code: 13, out: 'hello, world\n', err: '' });
    const fault = await cli('run', programPath('hello.s'), '--quiet', '--max-instructions', '10');
    expect(fault).toMatchObject({
      code: 69,
      err: 'budget reached: 10 instructions at pc 0x80000028 (start+0x28); raise it with --max-instructions N\n',
    });
  });
});

describe('colour', () => {
  it('only on a terminal, never with NO_COLOR set (non-empty) or TERM=dumb', () => {
    expect(colorAllowed({}, true)).toBe(true);
    expect(colorAllowed({}, false)).toBe(false);
    expect(colorAllowed({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorAllowed({ NO_COLOR: '' }, true)).toBe(true);
    expect(colorAllowed({ TERM: 'dumb' }, true)).toBe(false);
  });

  it('the stepper marks differing registers in red only when colour is allowed', async () => {
    const script = 's 3; q';
    const plain = await cliWith({ color: false }, 'step', programPath('hello.s'), '--script', script);
    const red = await cliWith({ color: true }, 'step', programPath('hello.s'), '--script', script);
    expect(plain.out).not.toContain('\x1b[');
    expect(plain.out).toMatch(/\*\s*t0=/);
    expect(red.out).toContain('\x1b[1;31m');
  });
});
