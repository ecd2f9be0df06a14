/** Writes a recorded trace as Chrome trace-event JSON, and says on stderr when it was sampled. */
import { writeFileSync } from 'node:fs';
import { ShadowError } from '../base/errors.js';
import type { TraceFile } from './trace-format.js';
import type { TraceRecorder } from './trace-recorder.js';

export interface TraceTarget {
  /** The file's path. */
  readonly path: string;
  /** The command that made it and its program, for `otherData`. */
  readonly command: string;
  readonly program: string;
}

/** The JSON object (format) of a finished recording. */
export function traceFile(rec: TraceRecorder, command: string, program: string): TraceFile {
  return { traceEvents: rec.events, displayTimeUnit: 'ns', otherData: { generator: 'shadowvm', program, command, ...rec.summary() } };
}

/** The note for stderr when the trace was sampled, or undefined. */
export function samplingNote(file: TraceFile, path: string): string | undefined {
  const o = file.otherData;
  if (!o.sampled) return undefined;
  const dropped = Object.entries(o.dropped)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return (
    `trace: past ${o.limit} events the trace is sampled: ${o.mergedEpochs} epochs merged ${o.epochWindow} to a slice` +
    `${dropped ? `, events counted instead of drawn: ${dropped}` : ''} (see otherData in ${path})`
  );
}

/** Writes the trace to `target.path`; returns the sampling note, if any. */
export function writeTrace(rec: TraceRecorder, target: TraceTarget): string | undefined {
  const file = traceFile(rec, target.command, target.program);
  try {
    writeFileSync(target.path, JSON.stringify(file));
  } catch (err) {
    throw new ShadowError(
      'FILE',
      `cannot write the trace '${target.path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return samplingNote(file, target.path);
}
