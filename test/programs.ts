/** Guest programs for tests: the committed ELF files and the hand-written sources in programs/. */
import { join } from 'node:path';
import { loadProgram } from '../src/asm/load.js';
import type { ProgramImage } from '../isa/image.js';

export const ROOT = join(import.meta.dirname, '..');
const cache = new Map<string, ProgramImage>();

/** `journal.elf` from programs/build, or `hello.s` from programs/. */
export function program(name: string): ProgramImage {
  const path = programPath(name);
  let image = cache.get(path);
  if (!image) {
    image = loadProgram(path);
    cache.set(path, image);
  }
  return image;
}

export function programPath(name: string): string {
  return name.endsWith('.elf') ? join(ROOT, 'programs', 'build', name) : join(ROOT, 'programs', name);
}
