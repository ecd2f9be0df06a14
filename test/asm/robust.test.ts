/** The assembler never fails with anything but ShadowError('ASM'), whatever it is given. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { ShadowError } from '../../src/base/errors.js';

const TOKENS = [
  'addi',
  'lw',
  'sw',
  'beq',
  'jal',
  'jalr',
  'li',
  'la',
  'call',
  'csrr',
  'csrw',
  'fence',
  'lui',
  'auipc',
  'halt',
  'ret',
  'j',
  '.word',
  '.byte',
  '.ascii',
  '.align',
  '.balign',
  '.zero',
  '.section',
  '.text',
  '.data',
  '.bss',
  '.equ',
  '.set',
  '.insn',
  '.option',
  'a0',
  'zero',
  'sp',
  'x31',
  'mstatus',
  'r',
  'i',
  'rw',
  'push',
  'pop',
  'x',
  'y',
  '1b',
  '1f',
  '1:',
  'x:',
  'y:',
  '0',
  '1',
  '-1',
  '4096',
  '0x7ff',
  '0xffffffff',
  '99999999999999999999',
  "'a'",
  '"s"',
  '"',
  '%hi(x)',
  '%lo(x)',
  '%pcrel_lo(x)',
  ',',
  ',',
  ',',
  '(',
  ')',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<<',
  '>>',
  '|',
  '&',
  '^',
  '~',
  '!',
  '=',
  ';',
  '#',
  '/*',
  '*/',
  '.',
  '\t',
  ' ',
];

describe('assembler robustness', () => {
  it('reports bad input as ShadowError(ASM), never as a crash', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 }), { maxLength: 12 }), (lines) => {
        const source = lines.map((l) => l.join(' ')).join('\n');
        try {
          assemble(source);
        } catch (err) {
          if (!(err instanceof ShadowError) || err.code !== 'ASM') throw err;
        }
      }),
      { seed: 99, numRuns: 3000 },
    );
  });

  it('reads arbitrary text without crashing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (source) => {
        try {
          assemble(source);
        } catch (err) {
          expect(err).toBeInstanceOf(ShadowError);
        }
      }),
      { seed: 5, numRuns: 2000 },
    );
  });
});
