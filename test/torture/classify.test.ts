/** The classes of the campaign, pinned: what is acceptable and what fails it. */
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/torture/classify.js';
import type { Outcome } from '../../src/torture/execute.js';

const o = (code: number, stderr = '', extra: Partial<Outcome> = {}): Outcome => ({ code, stdoutBytes: 0, stderr, ms: 1, ...extra });

describe('classify', () => {
  it('sorts every acceptable status into its class', () => {
    expect(classify(o(0)).cls).toBe('ran');
    expect(classify(o(13)).cls).toBe('ran');
    expect(classify(o(1)).cls).toBe('ran');
    expect(classify(o(67)).cls).toBe('ran');
    expect(classify(o(64, 'shadowvm: unknown command')).cls).toBe('clean-error');
    expect(classify(o(65, 'p.s:1:1: error: x')).cls).toBe('clean-error');
    expect(classify(o(66, "cannot read 'x': no such file")).cls).toBe('clean-error');
    expect(classify(o(68, 'guest fault')).cls).toBe('guest-fault');
    expect(classify(o(72, 'replicas diverged')).cls).toBe('guest-fault');
    expect(classify(o(69, 'budget reached')).cls).toBe('budget');
    expect(classify(o(71, 'memory ceiling')).cls).toBe('budget');
  });

  it('fails on a host crash, with the reason', () => {
    expect(classify(o(70, 'shadowvm run: internal error: Maximum call stack size exceeded\n'))).toEqual({
      cls: 'crash',
      why: 'internal error (exit 70): shadowvm run: internal error: Maximum call stack size exceeded',
    });
    expect(classify(o(134, 'FATAL ERROR: Reached heap limit'))).toEqual({
      cls: 'crash',
      why: 'unexpected exit status 134: FATAL ERROR: Reached heap limit',
    });
    expect(classify(o(-1, '', { thrown: 'TypeError: x is undefined\n    at f (/a/b.js:1:2)' }))).toEqual({
      cls: 'crash',
      why: 'exception escaped main: TypeError: x is undefined',
    });
    expect(classify(o(65, ''))).toEqual({ cls: 'crash', why: 'exit 65 with nothing on stderr' });
    expect(classify(o(65, 'Error: boom\n    at parse (file:///w/dist/src/asm/parse.js:10:5)\n'))).toEqual({
      cls: 'crash',
      why: 'stack trace on stderr: Error: boom',
    });
    expect(classify(o(0, 'x\n    at Object.<anonymous> (node:internal/main:1:1)')).cls).toBe('crash');
  });

  it('fails on a run past its bounds', () => {
    expect(classify(o(-1, '', { timedOut: true, ms: 31_000 }))).toEqual({ cls: 'overrun', why: 'ran past its time limit (31.0 s)' });
    expect(classify(o(-1, '', { outOfMemory: true }))).toEqual({ cls: 'overrun', why: 'ran past its memory ceiling' });
  });

  it('an assembly error that quotes a line with "at" in it is not a stack trace', () => {
    expect(classify(o(65, 'p.s:1:3: error: unknown mnemonic\n    at x, y\n  ^\n')).cls).toBe('clean-error');
  });

  it('counts a known crash apart, by its matcher', () => {
    const known = [
      { name: 'issue 17: timer period 0xFFFFFFFF', matches: (x: Outcome) => x.code === 70 && /random: below\(/.test(x.stderr) },
    ];
    const crash = o(70, 'shadowvm pair: internal error: random: below(4294967296001) needs an integer from 1 to 2^32\n');
    expect(classify(crash, known)).toEqual({ cls: 'known-crash', why: 'issue 17: timer period 0xFFFFFFFF' });
    expect(classify(crash).cls).toBe('crash');
  });
});
