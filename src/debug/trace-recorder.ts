/**
 * Collects trace events (trace-format.ts) against one clock, within a size limit. Past `limit` events the
 * recorder samples: epoch slices are merged into windows (`EpochTrack`), and the events callers ask to `admit`
 * (I/O operations, messages, trap instants) are counted by kind instead of drawn. What was merged or counted is
 * returned by `summary()` and written into the file's `otherData`.
 */
import { DEFAULTS } from '../base/defaults.js';
import type { TraceEvent, TraceSummary } from './trace-format.js';

export class TraceRecorder {
  private readonly list: (TraceEvent | undefined)[] = [];
  private readonly dropped: Record<string, number> = {};
  /** Names of the open duration slices, per track. */
  private readonly stacks = new Map<number, string[]>();
  private removed = 0;
  mergedEpochs = 0;

  constructor(
    readonly clock: () => number,
    readonly clockText: string,
    readonly limit: number = DEFAULTS.traceMaxEvents,
    readonly epochWindow: number = DEFAULTS.traceEpochWindow,
    readonly pid = 1,
  ) {}

  /** True once the trace holds `limit` events: from then on only the essential ones are drawn. */
  get sampling(): boolean {
    return this.list.length - this.removed >= this.limit;
  }

  /** Whether an event of `kind` may be drawn; past the limit it is counted instead. */
  admit(kind: string): boolean {
    if (!this.sampling) return true;
    this.dropped[kind] = (this.dropped[kind] ?? 0) + 1;
    return false;
  }

  private push(e: TraceEvent): number {
    this.list.push(e);
    return this.list.length - 1;
  }

  /** Names the process and a track (a thread), ordered by `sort`. */
  track(tid: number, name: string, sort: number, processName?: string): void {
    const meta = (name: string, args: Record<string, unknown>): number => this.push({ name, ph: 'M', ts: 0, pid: this.pid, tid, args });
    if (processName !== undefined) meta('process_name', { name: processName });
    meta('thread_name', { name });
    meta('thread_sort_index', { sort_index: sort });
  }

  begin(tid: number, name: string, args?: Record<string, unknown>): void {
    const stack = this.stacks.get(tid) ?? [];
    this.stacks.set(tid, stack);
    stack.push(name);
    this.push({ name, ph: 'B', ts: this.clock(), pid: this.pid, tid, ...(args ? { args } : {}) });
  }

  /** Ends the innermost open slice of `tid` (nothing when none is open). */
  end(tid: number, args?: Record<string, unknown>): void {
    const name = this.stacks.get(tid)?.pop();
    if (name === undefined) return;
    this.push({ name, ph: 'E', ts: this.clock(), pid: this.pid, tid, ...(args ? { args } : {}) });
  }

  /** The innermost open slice of `tid`, if any. */
  openSlice(tid: number): string | undefined {
    const stack = this.stacks.get(tid);
    return stack?.[stack.length - 1];
  }

  instant(tid: number, name: string, args?: Record<string, unknown>, scope: 't' | 'g' = 't'): void {
    this.push({ name, ph: 'i', s: scope, ts: this.clock(), pid: this.pid, tid, ...(args ? { args } : {}) });
  }

  /** An async operation's begin (b), step (n) or end (e); `cat` and `id` pair them. */
  async(ph: 'b' | 'n' | 'e', tid: number, cat: string, id: number, name: string, args?: Record<string, unknown>): void {
    this.push({ name, ph, cat, id, ts: this.clock(), pid: this.pid, tid, ...(args ? { args } : {}) });
  }

  /** A flow arrow's start (s) or end (f, bound to the enclosing slice); returns the event's index for `remove`. */
  flow(ph: 's' | 'f', tid: number, id: number, name: string): number {
    return this.push({ name, ph, cat: 'message', id, ts: this.clock(), pid: this.pid, tid, ...(ph === 'f' ? { bp: 'e' as const } : {}) });
  }

  counter(tid: number, name: string, args: Record<string, number>): void {
    this.push({ name, ph: 'C', ts: this.clock(), pid: this.pid, tid, args });
  }

  /** Takes back an event (a flow start whose message never arrived). */
  remove(index: number): void {
    if (this.list[index] === undefined) return;
    this.list[index] = undefined;
    this.removed++;
  }

  /** Closes every open slice at the clock's time. */
  closeAll(args?: Record<string, unknown>): void {
    for (const [tid, stack] of this.stacks) while (stack.length > 0) this.end(tid, args);
  }

  get events(): TraceEvent[] {
    return this.list.filter((e): e is TraceEvent => e !== undefined);
  }

  summary(): TraceSummary {
    const dropped = Object.values(this.dropped).reduce((a, b) => a + b, 0);
    return {
      clock: this.clockText,
      limit: this.limit,
      events: this.list.length - this.removed,
      sampled: dropped > 0 || this.mergedEpochs > 0,
      epochWindow: this.epochWindow,
      mergedEpochs: this.mergedEpochs,
      dropped: { ...this.dropped },
    };
  }
}

/**
 * The epochs of one replica as slices on its track. Below the limit each epoch is one slice; past it the
 * epochs are merged, `epochWindow` to a slice. A slice can also be opened for what happens outside any epoch
 * (a primary flushing its last messages after it halted), so that flow arrows have a slice to start from.
 */
export class EpochTrack {
  private state: 'none' | 'epoch' | 'window' | 'outside' = 'none';
  private windowCount = 0;

  constructor(
    private readonly rec: TraceRecorder,
    readonly tid: number,
  ) {}

  get inEpoch(): boolean {
    return this.state === 'epoch' || this.state === 'window';
  }

  start(epoch: number): void {
    if (this.inEpoch) return;
    if (this.state === 'outside') this.rec.end(this.tid);
    if (!this.rec.sampling) {
      this.rec.begin(this.tid, `epoch ${epoch}`, { epoch });
      this.state = 'epoch';
    } else {
      this.rec.begin(this.tid, `epochs from ${epoch}`, { first: epoch });
      this.state = 'window';
      this.windowCount = 0;
    }
  }

  /** Ends the epoch (in a window, ends the window once it holds `epochWindow` epochs). */
  end(epoch: number, args: Record<string, unknown>): void {
    if (this.state === 'epoch') {
      this.rec.end(this.tid, args);
      this.state = 'none';
    } else if (this.state === 'window') {
      this.windowCount++;
      this.rec.mergedEpochs++;
      if (this.windowCount >= this.rec.epochWindow) this.closeWindow(epoch);
    }
  }

  private closeWindow(last: number): void {
    this.rec.end(this.tid, { last, epochs: this.windowCount });
    this.state = 'none';
  }

  /** Ends whatever slice is open (a failure, the end of the run). */
  stop(args: Record<string, unknown>): void {
    if (this.state !== 'none') this.rec.end(this.tid, this.state === 'window' ? { ...args, epochs: this.windowCount } : args);
    this.state = 'none';
  }

  /** Makes sure a slice is open for an event outside any epoch. */
  ensureSlice(name: string): void {
    if (this.state !== 'none') return;
    this.rec.begin(this.tid, name);
    this.state = 'outside';
  }
}
