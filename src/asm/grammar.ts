/**
 * Loads the assembler grammar, isa/asm.ohm. The file is found from this module's own location by
 * walking up to the directory holding package.json, so that both src/asm (run by vitest) and
 * dist/src/asm (the built CLI) find the same file.
 *
 * Compiling the grammar's text takes ohm a few hundred milliseconds, which was most of a cold
 * `shadowvm asm`; so the grammar is built from isa/asm.recipe.json instead, ohm's own serialisation of
 * the compiled grammar (`toRecipe()`, written by `npm run gen:grammar`), in about a millisecond. The
 * file also holds the text the recipe was made from: when that is not isa/asm.ohm's text (the grammar
 * was edited and the recipe not regenerated), the text is compiled as before, and
 * test/asm/grammar-recipe.test.ts fails.
 *
 * ohm-js itself is loaded on first use, as its single-file CommonJS build (one file rather than its
 * fifty ES modules): a file that the fast path (fast-parse.ts) reads whole never loads it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Ohm from 'ohm-js';

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
export const RECIPE_PATH = join(packageRoot(), 'isa', 'asm.recipe.json');

/** ohm-js, with the recipe functions that its type declarations leave out. */
type OhmModule = Omit<typeof Ohm, 'grammar'> & {
  grammar(source: string): Ohm.Grammar & { toRecipe(): string };
  makeRecipe(recipe: unknown): Ohm.Grammar;
};

/** The ohm-js module, loaded (synchronously) on first call. */
export function ohmModule(): OhmModule {
  return createRequire(import.meta.url)('ohm-js') as OhmModule;
}

/** What isa/asm.recipe.json holds: the text of isa/asm.ohm, and ohm's recipe of the grammar compiled from it. */
interface RecipeFile {
  readonly grammar: string;
  readonly recipe: unknown;
}

/** isa/asm.recipe.json's content for isa/asm.ohm's `text`, as `npm run gen:grammar` writes it. */
export function recipeFile(text: string = readFileSync(GRAMMAR_PATH, 'utf8')): string {
  const file: RecipeFile = { grammar: text, recipe: JSON.parse(ohmModule().grammar(text).toRecipe()) };
  return JSON.stringify(file) + '\n';
}

let cached: Ohm.Grammar | undefined;

/** The compiled grammar (built once per process, from the recipe when it was made from isa/asm.ohm as it is). */
export function asmGrammar(): Ohm.Grammar {
  if (cached) return cached;
  const text = readFileSync(GRAMMAR_PATH, 'utf8');
  let file: RecipeFile | undefined;
  try {
    file = JSON.parse(readFileSync(RECIPE_PATH, 'utf8')) as RecipeFile;
  } catch {
    file = undefined;
  }
  const ohm = ohmModule();
  cached = file?.grammar === text ? ohm.makeRecipe(file.recipe) : ohm.grammar(text);
  return cached;
}
