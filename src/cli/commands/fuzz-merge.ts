/** `shadowvm fuzz-merge PART.json...`: merges `fuzz --shard I/N --json` reports into the report of the whole sweep. */
import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { flag } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { ShadowError } from '../../base/errors.js';
import { mergeReports } from '../../fuzz/merge.js';
import { summaryTable } from '../../fuzz/summary.js';

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

export const fuzzMergeCommand: Command = {
  name: 'fuzz-merge',
  summary: "merge the --json reports of 'fuzz --shard I/N' into one, checking that they cover every case exactly once",
  usage: USAGE,
  options: {
    json: { type: 'boolean', description: 'print the merged report as one JSON object' },
  },
  async run(args, io) {
    const files = args.positionals;
    if (files.length === 0) throw new ShadowError('USAGE', `fuzz-merge: expected one or more PART.json files\nUsage: ${USAGE}`);
    const report = mergeReports(files.map((name) => ({ name, report: readPart(name) })));
    if (flag(args, 'json')) {
      io.stdout(JSON.stringify(report) + '\n');
    } else {
      io.stdout(summaryTable(report));
      const replays = [...new Set(report.failures.map((f) => f.replay))];
      for (const line of replays.slice(0, 20)) io.stdout(line + '\n');
      if (replays.length > 20) io.stdout(`... and ${replays.length - 20} more replay lines (use --json for all)\n`);
    }
    return report.failures.length ? EXIT.VERDICT : EXIT.OK;
  },
};
