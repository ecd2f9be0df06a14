/**
 * isa/asm.recipe.json is the assembler grammar precompiled by ohm-js (src/asm/grammar.ts builds the grammar
 * from it rather than from isa/asm.ohm's text); the committed file must be current. And ohm-js loads only
 * when a line needs the grammar.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRAMMAR_PATH, RECIPE_PATH, asmGrammar, ohmModule, packageRoot, recipeFile } from '../../src/asm/grammar.js';

const root = packageRoot();

describe('isa/asm.recipe.json', () => {
  it('is up to date with isa/asm.ohm (run `npm run gen:grammar` after changing the grammar)', () => {
    expect(readFileSync(RECIPE_PATH, 'utf8')).toBe(recipeFile());
  });

  it('gives the grammar compiled from isa/asm.ohm: the same matches and the same expected texts', () => {
    const fromRecipe = asmGrammar();
    const fromText = ohmModule().grammar(readFileSync(GRAMMAR_PATH, 'utf8'));
    for (const line of ['x:addi a0,a1,%lo(y+4);.word 1', 'addi a0,a1,)', 'addi a0,', '.word 1 2', 'lw a0,4(', "li a0,'", '%', '.insn r']) {
      const [a, b] = [fromRecipe.match(line, 'line'), fromText.match(line, 'line')];
      expect(a.succeeded(), line).toBe(b.succeeded());
      if (a.failed() && b.failed()) {
        expect(a.getExpectedText(), line).toBe(b.getExpectedText());
        expect(a.getRightmostFailurePosition(), line).toBe(b.getRightmostFailurePosition());
      }
    }
  });

  it('is all the built assembler needs: ohm-js loads only when a line needs the grammar', () => {
    if (!existsSync(join(root, 'dist', 'src', 'asm', 'parse.js'))) return expect.fail('run `npx tsc -p .` first');
    const script = `
      import { createRequire } from 'node:module';
      const { parseLine } = await import(${JSON.stringify(join(root, 'dist', 'src', 'asm', 'parse.js'))});
      const ohmLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('ohm-js'));
      parseLine('\\tsw\\tra,12(sp)');
      parseLine('\\t.string\\t"a = 1; b"');
      parseLine('.insn r 0x0b, 0, 0, a0, a1, a2');
      const before = ohmLoaded();
      parseLine('li a0, 1 + 2');
      console.log(JSON.stringify([before, ohmLoaded()]));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([false, true]);
  });
});
