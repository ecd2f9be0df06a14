import { describe, expect, it } from 'vitest';
import { INSTRUCTIONS } from '../../isa/instructions.js';
import { SEMANTICS, SLOW_PATH } from '../../isa/semantics.js';
import { definitionOf, describeRow, describeTemplate } from '../../isa/describe.js';

const row = (m: string) => INSTRUCTIONS.find((r) => r.mnemonic === m)!;

describe('instruction descriptions from the templates', () => {
  it('reads a template as a definition', () => {
    expect(definitionOf(row('addi'))).toBe('rd = rs1 + imm');
    expect(definitionOf(row('jal'))).toBe('rd = pc + 4; pc = pc + imm');
    expect(definitionOf(row('bltu'))).toBe('if ((rs1 >>> 0) < (rs2 >>> 0)) pc = pc + imm');
    expect(definitionOf(row('lh'))).toBe('rd = mem16s[rs1 + imm]');
    expect(definitionOf(row('sb'))).toBe('mem8[rs1 + imm] = rs2');
    expect(definitionOf(row('divv'))).toBe(
      'rd = div(rs1, rs2); if (rs2 === 0) defer a DIVZ trap else if (rs1 === INT_MIN && rs2 === -1) defer a OVF trap',
    );
  });

  it('every row with a template has a definition derived from it; the others keep their summary', () => {
    for (const r of INSTRUCTIONS) {
      const t = SEMANTICS[r.mnemonic];
      if (t === undefined || (SLOW_PATH as readonly string[]).includes(r.mnemonic)) {
        expect(definitionOf(r)).toBeUndefined();
        expect(describeRow(r)).toBe(r.summary);
      } else {
        expect(describeRow(r)).toBe(describeTemplate(t));
      }
    }
    expect(describeRow(row('csrrw'))).toBe('rd = csr; csr = rs1');
  });

  it('follows the template it is given, and refuses an unknown RAM view', () => {
    expect(describeTemplate('SET(RS1 * 3)')).toBe('rd = rs1 * 3');
    expect(() => describeTemplate('LOAD(i64, RS1)')).toThrow("isa: no RAM view 'i64'");
  });
});
