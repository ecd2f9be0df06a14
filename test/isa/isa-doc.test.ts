/** isa/ISA.md is generated from the tables (scripts/gen-isa-doc.ts); the committed file must be current. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISA_MD_PATH, isaDoc } from '../../scripts/gen-isa-doc.js';
import { INSTRUCTIONS } from '../../isa/instructions.js';
import { CSRS } from '../../isa/csrs.js';

describe('isa/ISA.md', () => {
  it('is up to date with the tables (run `npm run gen:isa` after changing them)', () => {
    expect(readFileSync(ISA_MD_PATH, 'utf8')).toBe(isaDoc());
  });

  it('documents every row, every CSR and every pseudo-instruction of the brief', () => {
    const doc = isaDoc();
    for (const r of INSTRUCTIONS) expect(doc).toContain(`| \`${r.mnemonic}\` |`);
    for (const c of CSRS) expect(doc).toContain(`| \`${c.name}\` |`);
    for (const p of [
      'li rd, imm',
      'la rd, symbol',
      'lla rd, symbol',
      'mv rd, rs',
      'not rd, rs',
      'neg rd, rs',
      'call symbol',
      'tail symbol',
      'ret',
      'nop',
      'rdtime rd',
      'csrwi csr, uimm',
    ]) {
      expect(doc).toContain(`| \`${p}\``);
    }
  });
});
