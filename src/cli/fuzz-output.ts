/** How `fuzz` and `fuzz-merge` print a report: one JSON object, or the summary table and the replay lines. */
import type { CliIo } from './command.js';
import type { FuzzReport } from '../fuzz/fuzz.js';
import { summaryTable } from '../fuzz/summary.js';

/** The report as --json prints it (every field of FuzzReport). */
export function jsonOf(report: FuzzReport): unknown {
  return {
    ...report,
    failures: report.failures.map((f) => ({
      point: f.point,
      side: f.side,
      oracle: f.oracle,
      detail: f.detail,
      replay: f.replay,
      ...(f.cuts ? { cuts: f.cuts } : {}),
      ...(f.atInstruction !== undefined ? { atInstruction: f.atInstruction } : {}),
    })),
  };
}

/** Prints the report: JSON, or the summary table and one replay line per failing case (at most 20). */
export function printReport(report: FuzzReport, io: CliIo, json: boolean): void {
  if (json) {
    io.stdout(JSON.stringify(jsonOf(report)) + '\n');
    return;
  }
  io.stdout(summaryTable(report));
  const replays = [...new Set(report.failures.map((f) => f.replay))];
  for (const line of replays.slice(0, 20)) io.stdout(line + '\n');
  if (replays.length > 20) io.stdout(`... and ${replays.length - 20} more replay lines (use --json for all)\n`);
}
