/** `shadowvm fuzz-merge PART.json...`: merges `fuzz --shard I/N --json` reports into the report of the whole sweep. */
import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { flag } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { ShadowError } from '../../base/errors.js';
import { mergeReports } from '../../fuzz/merge.js';
import type { CliIo } from '../command.js';
import { printReport } from '../fuzz-output.js';

const USAGE = 'shadowvm fuzz-merge PART.json... [--json]';

function readPart(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ShadowError('FILE', `cannot read '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ShadowError('CONFIG', `fuzz-merge: ${path} is not JSON (expected the output of 'shadowvm fuzz --shard I/N --json')`);
  }
}

/** Merges the parts in `files` and prints the whole sweep's report (`fuzz-merge`, and `fuzz --merge`); returns the exit status. */
export function mergeFiles(files: readonly string[], json: boolean, io: CliIo, usage: string): number {
  if (files.length === 0) throw new ShadowError('USAGE', `fuzz-merge: expected one or more PART.json files\nUsage: ${usage}`);
  const report = mergeReports(files.map((name) => ({ name, report: readPart(name) })));
  printReport(report, io, json);
  return report.failures.length ? EXIT.VERDICT : EXIT.OK;
}

export const fuzzMergeCommand: Command = {
  name: 'fuzz-merge',
  usage: USAGE,
  options: {
    json: { type: 'boolean', description: 'print the merged report as one JSON object' },
  },
  async run(args, io) {
    return mergeFiles(args.positionals, flag(args, 'json'), io, USAGE);
  },
};
