/**
 * The interpreter's loop is generated from the templates when its module loads (interp.ts), so there is
 * no generated file to go stale: these tests check that the loop's text is derived from the table.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { INSTRUCTIONS } from '../../isa/instructions.js';
import { SEMANTICS } from '../../isa/semantics.js';
import { loopText } from '../../src/cpu/interp.js';
import { OPS, OP_ROW } from '../../src/cpu/loop-env.js';

const templates = SEMANTICS as Record<string, string>;
const saved = templates.addi!;
afterEach(() => {
  templates.addi = saved;
});

/** The text of the loop's case for a mnemonic. */
function caseText(text: string, mnemonic: string): string {
  const at = text.indexOf(`/* ${mnemonic} */`);
  expect(at).toBeGreaterThan(0);
  return text.slice(at, text.indexOf('\n', at));
}

describe('the generated interpreter', () => {
  it('has one case for every row the loop runs, labelled with its operation number', () => {
    const text = loopText(false);
    const rows = INSTRUCTIONS.filter((r) => OPS.opOf(r) >= OP_ROW);
    expect(rows.length).toBeGreaterThan(40);
    for (const r of rows) {
      expect(text.split(`case ${OP_ROW + r.id}: { /* ${r.mnemonic} */`).length).toBe(2);
    }
    expect(text).not.toContain('/* csrrw */');
  });

  it("changes with a row's template, and only in that row's case", () => {
    const before = loopText(false);
    templates.addi = 'SET(RS1 - IMM)';
    const after = loopText(false);
    expect(caseText(before, 'addi')).toContain('= x1 + (');
    expect(caseText(after, 'addi')).toContain('= x1 - (');
    expect(after.replace(caseText(after, 'addi'), '')).toBe(before.replace(caseText(before, 'addi'), ''));
  });

  it('the bound variant (a processor’s own copy) is the same text with the arrays taken from its closure', () => {
    const shared = loopText(false);
    const bound = loopText(true);
    expect(shared).toContain('const regs = s.regs');
    expect(bound).not.toContain('const regs = s.regs');
    expect(bound.replace(/\s+/g, ' ')).toBe(shared.replace(/^ {2}const regs = s\.regs.*$/m, '  ').replace(/\s+/g, ' '));
  });
});
