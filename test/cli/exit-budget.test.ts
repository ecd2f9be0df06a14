/** The exit budget of run, pair, demo and step: derived from --max-instructions, and the line a guest that exits at every instruction ends with. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/base/defaults.js';
import { exitBudgetFor } from '../../src/base/exit-budget.js';
import { exitsSpent } from '../../src/cli/exit-budget.js';
import { caseExitBudget } from '../../src/fuzz/case.js';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-exits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A trap handler that traps again: every instruction is an exception (issue 17). */
const TRAPS = join(dir, 'traps.s');
writeFileSync(TRAPS, '  la t0, handler\n  csrw mtvec, t0\n  ecall\nhandler:\n  ecall\n');
describe('exit budget', () => {
  it('is DEFAULTS.maxExits up to the default instruction budget, in proportion above it', () => {
    expect(exitBudgetFor(1)).toBe(DEFAULTS.maxExits);
    expect(exitBudgetFor(DEFAULTS.maxInstructions)).toBe(DEFAULTS.maxExits);
    expect(exitBudgetFor(DEFAULTS.maxInstructions * 3)).toBe(DEFAULTS.maxExits * 3);
    expect(exitsSpent(undefined)).toBe(false);
    expect(exitsSpent({ limit: 2, used: 1 })).toBe(false);
    expect(exitsSpent({ limit: 2, used: 2 })).toBe(true);
  });

  it('ends a trap recursion under run and pair at the default budgets with the budget line, exit 69', async () => {
    const line = `budget reached: ${DEFAULTS.maxExits} traps and sensitive instructions (I/O, clock reads, wfi...) in ${DEFAULTS.maxExits + 2} instructions at pc 0x80000010 (handler); raise it with --max-instructions N\n`;
    for (const command of ['run', 'pair']) {
      const r = await cli(command, TRAPS);
      expect(r.err, command).toBe(line);
      expect(r.code, command).toBe(69);
    }
  });

  it('ends a trap recursion under demo before any story', async () => {
    const line = `budget reached: ${DEFAULTS.maxExits} traps and sensitive instructions (I/O, clock reads, wfi...) in ${DEFAULTS.maxExits + 2} instructions at pc 0x80000010 (handler); raise it with --max-instructions N`;
    const demo = await cli('demo', TRAPS);
    expect(demo.err).toBe(
      `shadowvm demo: the failure-free run of ${TRAPS} did not halt (${line}).\nA failover story needs a guest that halts; nothing more was run.\n`,
    );
    expect(demo.code).toBe(69);
  });

  it('ends fuzz on a trap recursion at the failure-free run, with the exit budget named (it took 28 s of CPU without one)', async () => {
    const r = await cli('fuzz', TRAPS, '--workers', '1');
    expect(r.err).toBe(
      `fuzz: the failure-free run of ${TRAPS} used up its exit budget (${DEFAULTS.maxExits} traps and sensitive instructions, in ${DEFAULTS.maxExits + 2} instructions), so no failure point was checked; see: shadowvm pair ${TRAPS}\n`,
    );
    expect(r.code).toBe(69);
  });

  it('gives each fuzz case at least four times the exits of the failure-free run', () => {
    expect(caseExitBudget(1_000_000, 10)).toBe(DEFAULTS.maxExits);
    expect(caseExitBudget(1_000_000, 900_000)).toBe(3_800_000);
    expect(caseExitBudget(DEFAULTS.maxInstructions * 2, 0)).toBe(DEFAULTS.maxExits * 2);
  });

  it('does not bound a guest whose instruction budget ends first', async () => {
    const r = await cli('run', TRAPS, '--max-instructions', '1000');
    expect(r.err).toBe('budget reached: 1000 instructions at pc 0x80000010 (handler); raise it with --max-instructions N\n');
  });
});
