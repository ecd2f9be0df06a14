/** Saves a failing input for replay: its files, its command line, and a one-line command to run it again. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../base/paths.js';
import { materialise } from './execute.js';
import type { TortureInput } from './inputs.js';

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(a: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** The one-line replay commands for an input saved in `dir`. */
export function replayLines(input: TortureInput, argv: readonly string[]): { binary: string; campaign: string } {
  const bin = relative(process.cwd(), join(packageRoot(), 'bin', 'shadowvm.js')) || 'bin/shadowvm.js';
  return {
    binary: ['node', bin, ...argv].map(shellQuote).join(' '),
    campaign: input.kind === 'probe' ? 'npm run torture -- --only-probes' : `npm run torture -- --seed ${input.seed} --only ${input.index}`,
  };
}

/** Writes the input into `root/seed-S-input-I/` with a README of the failure; returns the replay lines. */
export function saveReplay(root: string, input: TortureInput, why: string): { dir: string; binary: string; campaign: string } {
  const dir = join(root, input.kind === 'probe' ? `probe-${input.index}` : `seed-${input.seed}-input-${input.index}`);
  mkdirSync(dir, { recursive: true });
  const argv = materialise(input, dir);
  const lines = replayLines(input, argv);
  writeFileSync(join(dir, 'argv.json'), JSON.stringify(argv) + '\n');
  writeFileSync(
    join(dir, 'README.txt'),
    `${input.kind} input ${input.index} of seed ${input.seed}: ${why}\n\nreplay:\n  ${lines.binary}\n  ${lines.campaign}\n`,
  );
  return { dir, ...lines };
}
