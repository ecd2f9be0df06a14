/** The wall-clock --timeout: the deadline, the timed run loops (equivalent to the untimed ones), and the CLI's line and exit 69. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Deadline, CLOCK_CHECK_INSTRUCTIONS } from '../../src/cli/deadline.js';
import { runBareTimed, runPairTimed } from '../../src/cli/timed-run.js';
import { describeTimeout } from '../../src/cli/report.js';
import { Computer } from '../../src/hw/computer.js';
import { World } from '../../src/hw/world.js';
import { runBare } from '../../src/hw/bare.js';
import { Pair } from '../../src/ft/pair.js';
import { loadProgram } from '../../src/asm/load.js';
import { program } from '../programs.js';
import { cli } from './helpers.js';
import type { ProgramImage } from '../../isa/image.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-timeout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LOOP = join(dir, 'loop.s');
writeFileSync(LOOP, 'nop\nspin: addi a0, a0, 1\nj spin\n');

/** A clock that moves `step` ms each time it is read. */
function steppingClock(step: number): () => number {
  let t = 0;
  return () => {
    const now = t;
    t += step;
    return now;
  };
}

function computerWith(image: ProgramImage, world = new World({ input: 'abc\n' })): Computer {
  const c = new Computer({ seed: 7, world, name: 'computer' });
  c.load(image);
  return c;
}

describe('Deadline', () => {
  it('expires once its seconds have passed on its clock, never without seconds', () => {
    const d = new Deadline(1, steppingClock(400));
    expect([d.expired, d.expired, d.expired]).toEqual([false, false, true]);
    expect(new Deadline(undefined, steppingClock(1e9)).expired).toBe(false);
  });
});

describe('runBareTimed', () => {
  it('looks at the clock every CHECK instructions and stops at the first look past the deadline', () => {
    const image = loadProgram(LOOP);
    const c = computerWith(image);
    const { result, timedOut } = runBareTimed(c, 1e9, new Deadline(1, steppingClock(400)), 1000);
    expect(timedOut).toBe(true);
    expect(result).toMatchObject({ stop: 'budget', instructions: 3000 });
    // nop, then 1499 rounds of (addi, j), then one addi: at the j.
    expect(describeTimeout(1, result.instructions, c.cpu.state.pc, image)).toBe(
      'timeout: 1 s elapsed after 3000 instructions at pc 0x80000008 (spin+0x4); raise it with --timeout SEC',
    );
  });

  it('the budget still wins when it comes first', () => {
    const { result, timedOut } = runBareTimed(computerWith(loadProgram(LOOP)), 2500, new Deadline(1000, steppingClock(1)), 1000);
    expect(timedOut).toBe(false);
    expect(result).toMatchObject({ stop: 'budget', instructions: 2500 });
  });

  it('a run sliced for the clock is the same run: console, exit code, instructions, registers', () => {
    for (const name of ['journal.elf', 'mix.elf', 'echo.elf', 'traps.s']) {
      const [wholeWorld, slicedWorld] = [new World({ input: 'abc\n' }), new World({ input: 'abc\n' })];
      const whole = computerWith(program(name), wholeWorld);
      const w = runBare(whole, { maxInstructions: 5e7 });
      expect({ name, stop: w.stop }).toEqual({ name, stop: 'halt' });
      const sliced = computerWith(program(name), slicedWorld);
      const s = runBareTimed(sliced, 5e7, new Deadline(1e6), 997);
      expect(s.timedOut).toBe(false);
      expect({ ...s.result, name }).toEqual({ ...w, name });
      expect(Array.from(sliced.cpu.state.regs)).toEqual(Array.from(whole.cpu.state.regs));
      expect(slicedWorld.consoleText()).toBe(wholeWorld.consoleText());
      expect(slicedWorld.effects).toEqual(wholeWorld.effects);
    }
  });
});

describe('runPairTimed', () => {
  it('is Pair.run when the deadline does not pass, and stops between turns when it does', () => {
    const image = program('journal.elf');
    const plain = new Pair(image, { seed: 3 }).run();
    expect(runPairTimed(new Pair(image, { seed: 3 }), new Deadline(1e6), 1000)).toEqual({ result: plain, timedOut: false });
    const pair = new Pair(loadProgram(LOOP), {});
    const t = runPairTimed(pair, new Deadline(1, steppingClock(600)), 10_000);
    expect(t.timedOut).toBe(true);
    const work = pair.primary.computer.cpu.state.instret + pair.backup.computer.cpu.state.instret;
    expect(work).toBeGreaterThanOrEqual(20_000);
    expect(work).toBeLessThan(20_000 + 2 * 4096 + 10_000);
  });

  it('checks the clock every few million instructions', () => {
    expect(CLOCK_CHECK_INSTRUCTIONS).toBe(1 << 22);
  });
});

describe('--timeout on the command line', () => {
  const LINE = /^timeout: 0\.2 s elapsed after (\d+) instructions at pc 0x8000000[48] \(spin(\+0x4)?\); raise it with --timeout SEC\n$/;

  it('run and pair end with the timeout line and exit 69; --json says stop: timeout', async () => {
    for (const cmd of ['run', 'pair']) {
      const r = await cli(cmd, LOOP, '--timeout', '0.2', '--max-instructions', '1000000000000');
      expect(r.code).toBe(69);
      expect(r.out).toBe('');
      expect(r.err).toMatch(LINE);
      // run looks at the clock every CLOCK_CHECK_INSTRUCTIONS exactly; pair between turns, past that many.
      const m = Number(LINE.exec(r.err)![1]);
      if (cmd === 'run') expect(m % CLOCK_CHECK_INSTRUCTIONS).toBe(0);
      else expect(m).toBeGreaterThanOrEqual(CLOCK_CHECK_INSTRUCTIONS / 2);
    }
    const j = await cli('run', LOOP, '--timeout', '0.2', '--max-instructions', '1000000000000', '--json');
    expect(j.code).toBe(69);
    expect(JSON.parse(j.out)).toMatchObject({ stop: 'timeout' });
  });

  it('demo stops within its timeout too, before any story', async () => {
    const r = await cli('demo', LOOP, '--timeout', '0.2', '--max-instructions', '1000000000000');
    expect(r).toMatchObject({ code: 69, out: '' });
    expect(r.err).toMatch(LINE);
  });

  it('a timeout that is not reached changes nothing', async () => {
    const r = await cli('run', join(import.meta.dirname, '..', '..', 'programs', 'hello.s'), '--timeout', '100');
    expect(r).toMatchObject({ code: 13, out: 'hello, world\n', err: '' });
  });
});
