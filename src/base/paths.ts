/** Where the package's own files are, whether this code runs from src/ (tests) or dist/src/ (the binary). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory holding shadowvm's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'isa'))) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('shadowvm: cannot find the package root');
}

/** A guest program shipped with the package, e.g. `programs/build/journal.elf`. */
export function bundledProgram(relative: string): string {
  return join(packageRoot(), relative);
}
