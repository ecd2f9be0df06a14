import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/cli/suggest.js';

describe('did you mean', () => {
  it('counts edits, a transposition as one', () => {
    expect(editDistance('run', 'run')).toBe(0);
    expect(editDistance('rnu', 'run')).toBe(1);
    expect(editDistance('epoc', 'epoch')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests a close word, or the one word a prefix abbreviates, and nothing far off', () => {
    const commands = ['demo', 'run', 'pair', 'step', 'fuzz', 'asm', 'disasm'];
    expect(closest('rnu', commands)).toBe('run');
    expect(closest('dmeo', commands)).toBe('demo');
    expect(closest('disasn', commands)).toBe('disasm');
    expect(closest('xyzzy', commands)).toBeUndefined();
    expect(closest('st', commands)).toBe('step');
    expect(closest('exit', ['exit-code-from', 'epoch'])).toBe('exit-code-from');
    expect(closest('e', ['exit-code-from', 'epoch'])).toBeUndefined();
    expect(didYouMean('jsn', ['json'], (k) => `--${k}`)).toBe(' (did you mean --json?)');
    expect(didYouMean('zzz', ['json'])).toBe('');
  });
});
