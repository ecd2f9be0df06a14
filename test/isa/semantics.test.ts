import { describe, expect, it } from 'vitest';
import { INSTRUCTIONS } from '../../isa/instructions.js';
import { SEMANTICS, SLOW_PATH } from '../../isa/semantics.js';
import { expand, templateOf, type Expansion } from '../../isa/template.js';

/** An expansion that shows every name and macro, to read what a template says. */
const SHOW: Expansion = {
  rs1: 'a',
  rs2: 'b',
  imm: 'i',
  pc: 'pc',
  next: 'nx',
  set: (x) => `rd=${x}`,
  jump: (t, link) => `${link ? 'link ' : ''}goto ${t}`,
  load: (v, a) => `rd=${v}@${a}`,
  store: (v, a, x) => `${v}@${a}=${x}`,
  defer: (c) => `defer ${c}`,
};

describe('instruction semantics as data', () => {
  it('every row that is not sensitive has a template, and every template belongs to such a row', () => {
    const rows = INSTRUCTIONS.filter((r) => r.sensitive !== true).map((r) => r.mnemonic);
    expect(Object.keys(SEMANTICS).sort()).toEqual([...rows].sort());
    for (const m of SLOW_PATH) expect(rows).toContain(m);
  });

  it('a sensitive row has no template: asking for one is an error', () => {
    const csrrw = INSTRUCTIONS.find((r) => r.mnemonic === 'csrrw')!;
    expect(() => templateOf(csrrw)).toThrow("cpu: no semantics for instruction 'csrrw'");
  });

  it('expands names and macros, nested', () => {
    expect(expand(SEMANTICS.addi!, SHOW)).toBe('{ rd=a + (i) }');
    expect(expand(SEMANTICS.jalr!, SHOW)).toBe('{ link goto (a + (i)) & ~1 }');
    expect(expand(SEMANTICS.sh!, SHOW)).toBe('{ u16@a + (i)=b }');
    expect(expand(SEMANTICS.divv!, SHOW)).toBe(
      '{ rd=div(a, b) }; if (b === 0) { { defer DIVZ } } else if (a === INT_MIN && b === -1) { { defer OVF } }',
    );
  });

  it('rejects a macro with the wrong number of arguments or unbalanced parentheses', () => {
    expect(() => expand('SET(a, b)', SHOW)).toThrow("cpu: SET takes 1 arguments in template 'SET(a, b)'");
    expect(() => expand('SET((a)', SHOW)).toThrow("cpu: unbalanced parentheses in template 'SET((a)'");
  });
});
