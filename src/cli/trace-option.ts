/** `--trace FILE.json` on `run`, `pair`, `demo` and `fuzz --fail-at`: the option, and writing the file at the end. */
import { writeFileSync } from 'node:fs';
import type { CliIo, OptionSpec, ParsedArgs } from './command.js';
import { stringOpt } from './args.js';
import { ShadowError } from '../base/errors.js';
import { writeTrace } from '../debug/trace-write.js';
import type { TraceRecorder } from '../debug/trace-recorder.js';

export const TRACE_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'FILE',
  description: 'write the run as Chrome trace-event JSON, for Perfetto (ui.perfetto.dev) or chrome://tracing',
};

/** The `--trace` path, checked writable now (the file is created empty) so that a long run does not fail at its end. */
export function traceOpt(args: ParsedArgs): string | undefined {
  const path = stringOpt(args, 'trace');
  if (path === undefined) return undefined;
  if (path === '' || path === '-') throw new ShadowError('USAGE', `--trace: expected a file name, got '${path}'`);
  try {
    writeFileSync(path, '');
  } catch (err) {
    throw new ShadowError('FILE', `cannot write the trace '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return path;
}

/** Writes the finished trace; the sampling note goes to stderr unless `--quiet`. */
export function saveTrace(io: CliIo, command: string, path: string, program: string, rec: TraceRecorder): void {
  const note = writeTrace(rec, { path, command, program });
  if (note && !io.quiet) io.stderr(`shadowvm ${command}: ${note}\n`);
}

/** A replica group (`--backups`, `--rebackup-after`, a `--fail-at` list) has no trace or gdb stub yet: refused, not ignored. */
export function refuseForGroup(args: ParsedArgs): void {
  const group = "a replica group (--backups, --rebackup-after, or a --fail-at with ',' or '@')";
  if (stringOpt(args, 'trace') !== undefined) {
    throw new ShadowError('USAGE', `--trace cannot be used with ${group}: the trace draws one primary and one backup`);
  }
  if (stringOpt(args, 'gdb') !== undefined) {
    throw new ShadowError('USAGE', `--gdb cannot be used with ${group}: the stub debugs one primary and one backup`);
  }
}
