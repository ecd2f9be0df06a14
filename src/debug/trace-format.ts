/**
 * The Chrome trace-event JSON that `--trace FILE.json` writes (the "JSON object format": an object with
 * `traceEvents`), which Perfetto (ui.perfetto.dev) and chrome://tracing open. Only the phases shadowvm uses
 * are declared: duration slices (B/E), instants (i), async operations (b/n/e), flow arrows (s/f), counters (C)
 * and the metadata that names the tracks (M).
 */

/** One trace event. `ts` is in the format's microseconds; shadowvm's clock is described in `otherData.clock`. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: 'B' | 'E' | 'i' | 'b' | 'n' | 'e' | 's' | 'f' | 'C' | 'M';
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly cat?: string;
  /** Async operations and flow arrows: the id that pairs their events (with `cat`). */
  readonly id?: number;
  /** Instants: the scope, `t` (thread) or `g` (global). */
  readonly s?: 't' | 'g';
  /** Flow ends: bind to the enclosing slice. */
  readonly bp?: 'e';
  readonly args?: Readonly<Record<string, unknown>>;
}

/** What the trace kept and what it merged or counted once past its size limit. */
export interface TraceSummary {
  /** What `ts` counts. */
  readonly clock: string;
  /** Events written in full before sampling began (`DEFAULTS.traceMaxEvents`). */
  readonly limit: number;
  readonly events: number;
  /** True when the run went past the limit. */
  readonly sampled: boolean;
  /** Epochs merged into windows of `epochWindow` epochs, per track. */
  readonly epochWindow: number;
  readonly mergedEpochs: number;
  /** Events not drawn, by kind (io, message, trap, drain, ...). */
  readonly dropped: Readonly<Record<string, number>>;
}

export interface TraceFile {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: 'ms' | 'ns';
  readonly otherData: { readonly generator: string; readonly program: string; readonly command: string } & TraceSummary;
}
