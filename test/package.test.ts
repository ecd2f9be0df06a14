/**
 * The npm package holds what a user needs and nothing else: `npm pack --dry-run --json` lists the binary,
 * the compiled library and its types, the assembler grammar, the docs and the guest programs with their
 * built ELFs; no tests, no CI, no TypeScript sources, no source maps. Every module it ships finds its
 * imports in the package or in its declared dependencies. (scripts/consumer-check.sh installs the real
 * tarball in a scratch project; .ci/run runs it.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledProgram } from '../src/index.js';
import { packageRoot } from '../src/base/paths.js';

const ROOT = packageRoot();

let files: string[] = [];
beforeAll(() => {
  // --ignore-scripts: list the dist/ that `npm test` has just built, without building it again.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
}, 60_000);

describe('the npm package', () => {
  it('ships the binary, the library with its types, the grammar, the docs, the README and the guests', () => {
    for (const f of [
      'package.json',
      'README.md',
      'bin/shadowvm.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/testing.js',
      'dist/src/testing.d.ts',
      'dist/src/testing/vitest.js',
      'dist/src/testing/vitest.d.ts',
      'dist/src/fuzz/worker.js',
      'dist/isa/csrs.js',
      'isa/asm.ohm',
      'isa/ISA.md',
      'isa/asm.recipe.json',
      'docs/machine.md',
      'docs/concepts.md',
      'docs/layout.md',
      'programs/README.md',
      'programs/hello.s',
      'programs/runtime/kio.c',
    ]) {
      expect(files, f).toContain(f);
    }
    const built = readdirSync(join(ROOT, 'programs', 'build')).map((f) => `programs/build/${f}`);
    expect(built.length).toBeGreaterThan(5);
    for (const f of built) expect(files, f).toContain(f);
  });

  it('ships no tests, CI, scripts, benchmarks, TypeScript sources or source maps', () => {
    const unwanted = files.filter(
      (f) =>
        /^(test|\.ci|scripts|bench|src|node_modules|dist\/test|dist\/scripts|dist\/bench)\//.test(f) ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
        f.endsWith('.map') ||
        /^(vitest\.config|tsconfig|\.dependency-cruiser|\.gitignore|package-lock)/.test(f),
    );
    expect(unwanted).toEqual([]);
    const ALLOWED =
      /^(package\.json|README\.md|bin\/shadowvm\.js|dist\/(src|isa)\/.*\.js|dist\/(src|isa)\/.*\.d\.ts|isa\/asm\.ohm|isa\/asm\.recipe\.json|isa\/ISA\.md|docs\/.*\.(md|png)|programs\/.*)$/;
    expect(files.filter((f) => !ALLOWED.test(f))).toEqual([]);
  });

  it('every relative import of a shipped module is shipped, and every package it imports is a dependency', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const shipped = new Set(files);
    const missing: string[] = [];
    const undeclared = new Set<string>();
    for (const f of files.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith('.')) {
          const target = posix.normalize(posix.join(dirname(f), spec));
          if (!shipped.has(target)) missing.push(`${f} -> ${spec}`);
        } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
          undeclared.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        }
      }
    }
    expect(missing).toEqual([]);
    expect([...undeclared].filter((p) => !declared.has(p))).toEqual([]);
    expect(undeclared).toContain('fast-check'); // shadowvm/testing imports it: a dependency, not a dev one
  });

  it('bundledProgram(path) gives the path of a shipped guest', () => {
    const journal = bundledProgram('programs/build/journal.elf');
    expect(journal).toBe(join(ROOT, 'programs', 'build', 'journal.elf'));
    expect(existsSync(journal)).toBe(true);
    expect(files).toContain('programs/build/journal.elf');
  });
});
