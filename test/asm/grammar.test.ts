/** The grammar file is found from the sources (vitest) and from the build (dist/), and parses lines. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRAMMAR_PATH, packageRoot } from '../../src/asm/grammar.js';
import { parseLine } from '../../src/asm/parse.js';
import { LineError } from '../../src/asm/line-error.js';

const root = packageRoot();

describe('isa/asm.ohm', () => {
  it('is found by walking up to package.json from src/asm and from dist/src/asm', () => {
    expect(existsSync(join(root, 'package.json'))).toBe(true);
    expect(GRAMMAR_PATH).toBe(join(root, 'isa', 'asm.ohm'));
    expect(packageRoot(join(root, 'src', 'asm'))).toBe(root);
    expect(packageRoot(join(root, 'dist', 'src', 'asm'))).toBe(root);
    expect(() => packageRoot('/')).toThrow('shadowvm: cannot find the package root above /');
  });

  it('is loaded by the built CLI', () => {
    const bin = join(root, 'bin', 'shadowvm.js');
    if (!existsSync(join(root, 'dist', 'src', 'asm', 'grammar.js'))) return expect.fail('run `npx tsc -p .` first');
    const r = spawnSync(process.execPath, [bin, 'disasm', join(root, 'test', 'asm', 'corpus', 'rv32m.s')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('mulhsu\tt0,t1,t2');
  });

  it('parses labels, statements separated by ";" and operands', () => {
    const [a, b] = parseLine('x: 1: lw a0, %lo(v)(a1) ; .word 1, 2');
    expect(a!.labels).toEqual([
      { name: 'x', col: 1 },
      { name: '1', col: 4 },
    ]);
    expect(a!.body).toMatchObject({
      kind: 'insn',
      name: 'lw',
      ops: [
        { kind: 'expr', text: 'a0' },
        { kind: 'mem', base: 'a1', off: { kind: 'reloc', fn: 'lo' } },
      ],
    });
    expect(b!.body).toMatchObject({ kind: 'dir', name: '.word', args: [{ kind: 'expr' }, { kind: 'expr' }] });
    expect(parseLine('   # nothing')).toEqual([{ labels: [], body: undefined }]);
  });

  it('reports where a line stops making sense', () => {
    expect(() => parseLine('addi a0, a1, )')).toThrow(LineError);
    try {
      parseLine('addi a0, a1, )');
    } catch (e) {
      expect((e as LineError).col).toBe(14);
      expect((e as LineError).message).toBe("bad operand ')'");
    }
  });
});
