/**
 * The campaign's seed corpus: every built guest (programs/build/*.elf), the same guests as flat binaries,
 * and the assembly of every `.s` file under programs/. Loaded once per process.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../base/paths.js';
import { readElf } from '../asm/elf-read.js';
import { RAM_BASE } from '../../isa/csrs.js';
import type { ProgramImage } from '../../isa/image.js';

export interface CorpusFile {
  /** Path relative to the package root, e.g. `programs/build/journal.elf`. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface Corpus {
  readonly elfs: readonly CorpusFile[];
  /** The ELF guests flattened into images loaded at RAM_BASE. */
  readonly flats: readonly CorpusFile[];
  readonly sources: readonly CorpusFile[];
  /** Every line of every source, for splicing into mutants. */
  readonly lines: readonly string[];
}

/** Largest flat binary made from an ELF (the guests are far smaller). */
const MAX_FLAT = 1 << 20;

/** An image as a flat binary: its segments copied to their offsets from RAM_BASE (bss not included). */
export function flatten(image: ProgramImage): Uint8Array {
  let end = 0;
  for (const s of image.segments) end = Math.max(end, s.addr - RAM_BASE + s.bytes.length);
  const out = new Uint8Array(Math.min(MAX_FLAT, Math.max(0, end)));
  for (const s of image.segments) {
    const at = s.addr - RAM_BASE;
    if (at >= 0 && at < out.length) out.set(s.bytes.subarray(0, out.length - at), at);
  }
  return out;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

let cached: Corpus | undefined;

export function loadCorpus(): Corpus {
  if (cached) return cached;
  const root = packageRoot();
  const files = walk(join(root, 'programs'), []);
  const read = (p: string): CorpusFile => ({ path: relative(root, p), bytes: new Uint8Array(readFileSync(p)) });
  const elfs = files.filter((p) => p.endsWith('.elf')).map(read);
  const sources = files.filter((p) => /\.(s|S)$/.test(p)).map(read);
  const flats = elfs.map((e) => ({ path: e.path.replace(/\.elf$/, '.bin'), bytes: flatten(readElf(e.bytes)) }));
  const decoder = new TextDecoder();
  const lines = sources.flatMap((s) => decoder.decode(s.bytes).split('\n')).filter((l) => l.trim() !== '');
  if (!elfs.length || !sources.length) throw new Error(`torture: no guest programs found under ${join(root, 'programs')}`);
  return (cached = { elfs, flats, sources, lines });
}
