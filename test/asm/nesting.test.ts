/** Regression (found by the torture campaign, issue 17): a line nested deeper than the parser's stack is an assembly error, not a crash. */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { asmError } from './asm-error.js';

describe('lines nested too deeply', () => {
  it('5000 parentheses around a .word operand', () => {
    const line = `  .word ${'('.repeat(5000)}1${')'.repeat(5000)}`;
    expect(asmError(line)).toBe(`p.s:1:1: error: expression nested too deeply\n${line}\n^`);
  });

  it('5000 unary minuses in an immediate', () => {
    const line = `  addi a0, a0, ${'-'.repeat(5000)}1`;
    expect(asmError(`  nop\n${line}`)).toBe(`p.s:2:1: error: expression nested too deeply\n${line}\n^`);
  });

  it('moderate nesting still assembles', () => {
    expect(() => assemble(`  .word ${'('.repeat(50)}1${')'.repeat(50)}`, { file: 'p.s' })).not.toThrow();
  });
});
