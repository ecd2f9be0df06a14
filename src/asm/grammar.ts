/**
 * Loads the assembler grammar, isa/asm.ohm, from disk. The file is found from this module's own
 * location by walking up to the directory holding package.json, so that both src/asm (run by
 * vitest) and dist/src/asm (the built CLI) find the same file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ohm from 'ohm-js';

/** The directory of shadowvm's package.json, found by walking up from `from`. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'isa'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`shadowvm: cannot find the package root above ${from}`);
    dir = up;
  }
}

export const GRAMMAR_PATH = join(packageRoot(), 'isa', 'asm.ohm');

let cached: ohm.Grammar | undefined;

/** The compiled grammar (compiled once per process). */
export function asmGrammar(): ohm.Grammar {
  cached ??= ohm.grammar(readFileSync(GRAMMAR_PATH, 'utf8'));
  return cached;
}
