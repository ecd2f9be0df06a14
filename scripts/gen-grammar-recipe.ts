/**
 * Writes isa/asm.recipe.json, the assembler grammar compiled by ohm-js and serialised (`toRecipe()`), from
 * which src/asm/grammar.ts builds the grammar quickly. `npm run gen:grammar` after editing isa/asm.ohm;
 * test/asm/grammar-recipe.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { RECIPE_PATH, recipeFile } from '../src/asm/grammar.js';

writeFileSync(RECIPE_PATH, recipeFile());
console.log(`wrote ${RECIPE_PATH}`);
