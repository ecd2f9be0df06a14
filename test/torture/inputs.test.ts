/** Campaign inputs: determined by (seed, index), of every kind, with their runs bounded. */
import { describe, expect, it } from 'vitest';
import { INPUT_KINDS, makeInput } from '../../src/torture/inputs.js';
import { MAX_BUDGET, boundBudget, withoutDebuggerWait } from '../../src/torture/flags.js';
import { hostileProgram } from '../../src/torture/hostile.js';
import { assemble } from '../../src/asm/assembler.js';
import { Random } from '../../src/base/random.js';
import { realArgv } from '../../src/torture/execute.js';

describe('campaign inputs', () => {
  it('the same seed and index give the same input, bit for bit', () => {
    for (const i of [0, 1, 17, 999]) expect(makeInput(5, i)).toEqual(makeInput(5, i));
    expect(makeInput(5, 3)).not.toEqual(makeInput(6, 3));
  });

  it('draws every kind and every command within 150 inputs', () => {
    const kinds = new Set<string>();
    const commands = new Set<string>();
    for (let i = 0; i < 150; i++) {
      const input = makeInput(1, i);
      kinds.add(input.kind);
      commands.add(input.argv[0]!);
    }
    expect([...kinds].sort()).toEqual([...INPUT_KINDS].sort());
    for (const c of ['run', 'pair', 'step', 'fuzz', 'demo', 'asm', 'disasm']) expect(commands).toContain(c);
  });

  it('placeholders become paths in the input directory', () => {
    const input = {
      seed: 1,
      index: 0,
      kind: 'elf' as const,
      files: [{ name: '0-prog.elf', bytes: new Uint8Array(1) }],
      argv: ['run', '@0', '--disk', '@dir/missing', '--seed', '@x'],
    };
    expect(realArgv(input, '/tmp/d')).toEqual(['run', '/tmp/d/0-prog.elf', '--disk', '/tmp/d/missing', '--seed', '@x']);
  });

  it('a budget the CLI would accept is brought down to what an input may run', () => {
    expect(boundBudget(['run', '--max-instructions', '1000', 'p', '--max-instructions', '9007199254740991'])).toEqual([
      'run',
      '--max-instructions',
      '1000',
      'p',
      '--max-instructions',
      '9007199254740991',
      '--max-instructions',
      String(MAX_BUDGET),
    ]);
    expect(boundBudget(['pair', '--max-instructions', '0x186a0', '--epoch', '3']).slice(-2)).toEqual(['--max-instructions', '10000']);
    expect(boundBudget(['demo', '--max-instructions', '50000']).slice(-2)).toEqual(['--max-instructions', '20000']);
    expect(boundBudget(['run', '--max-instructions', 'abc'])).toEqual(['run', '--max-instructions', 'abc']);
    expect(boundBudget(['asm', '--max-instructions', '9999999'])).toEqual(['asm', '--max-instructions', '9999999']);
  });

  it('hostile programs assemble', () => {
    const rng = new Random(3);
    for (let i = 0; i < 20; i++) expect(() => assemble(hostileProgram(rng, 1 + (i % 16)), { file: 'h.s' })).not.toThrow();
  });

  it('never lets run or pair wait for a debugger: a listening --gdb port becomes 65536 (seed 20261202 input 10392 waited 233 s)', () => {
    expect(withoutDebuggerWait(['run', 'p', '--gdb', '7', '--gdb=0x10', '--gdb', '-1', '--seed', '7'])).toEqual([
      'run',
      'p',
      '--gdb',
      '65536',
      '--gdb=65536',
      '--gdb',
      '-1',
      '--seed',
      '7',
    ]);
    const argv = makeInput(20261202, 10392).argv;
    expect(argv[argv.indexOf('--gdb') + 1]).toBe('65536');
  });
});
