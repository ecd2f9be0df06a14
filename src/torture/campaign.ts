/**
 * The adversarial campaign: inputs 0..count-1 of one seed, run in-process (inline or on worker threads
 * with a watchdog), a sample of them again through the real binary, each outcome classified. Failing
 * inputs (a host crash or a run past its bounds) are saved for replay. The report counts every class,
 * by input kind and by command, with throughput and the largest heap seen.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeInput, type AnyKind } from './inputs.js';
import { CLASSES, FAILING, classify, type OutcomeClass } from './classify.js';
import { runInline, runOnWorkers, type Ran } from './runner.js';
import { ProcessQueue, binary, executeInProcess } from './process.js';
import { saveReplay } from './replay.js';
import { probes } from './probes.js';
import { scaledLimit } from './watchdog.js';
import type { Outcome } from './execute.js';

export interface CampaignOptions {
  readonly seed: number;
  readonly count: number;
  /** Run only these indices (replay). */
  readonly only?: readonly number[];
  /** 0: inline in this thread; N: N worker threads with the watchdog. */
  readonly workers: number;
  /** Wall-clock limit of one input, in ms, scaled by the load (watchdog.ts). */
  readonly timeoutMs: number;
  /** Heap ceiling of a worker (and of a sampled process), in MiB. */
  readonly heapMb: number;
  /** Also run every Nth input through bin/shadowvm.js, and every suspicious one (`suspicious`); 0: no process at all. */
  readonly processEvery: number;
  /** Where failing inputs are saved; undefined: not saved. */
  readonly replayDir?: string;
  /** Also run the bounds probes (probes.ts) through bin/shadowvm.js, with this time limit per probe in ms. */
  readonly probeTimeoutMs?: number;
  readonly onProgress?: (done: number, failures: number) => void;
}

export interface Failure {
  readonly index: number;
  readonly kind: AnyKind;
  readonly via: 'thread' | 'process';
  readonly cls: OutcomeClass;
  readonly why: string;
  readonly argv: readonly string[];
  readonly replay?: { readonly dir: string; readonly binary: string; readonly campaign: string };
}

export type Counts = Record<OutcomeClass, number>;

export interface ProbeResult {
  readonly line: string;
  readonly cls: OutcomeClass;
  readonly code: number;
  readonly seconds: number;
  readonly message: string;
}

export interface CampaignReport {
  readonly seed: number;
  readonly inputs: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly byClass: Counts;
  readonly byKind: Record<string, Counts>;
  readonly byCommand: Record<string, Counts>;
  readonly exitCodes: Record<string, number>;
  /** Inputs run again through bin/shadowvm.js (beside the in-process ones): how many, of which suspicious, and their classes. */
  readonly processSamples: { readonly inputs: number; readonly suspicious: number; readonly seconds: number; readonly byClass: Counts };
  readonly failures: readonly Failure[];
  /** Known crashes seen (counted apart): their description and first index. */
  readonly known: Record<string, { count: number; first: number }>;
  readonly slowest: { readonly index: number; readonly ms: number };
  /** The bounds probes, when run: each command line, its class, exit status, time and first line of stderr. */
  readonly probes: readonly ProbeResult[];
  readonly peakHeapBytes: number;
  readonly peakRssBytes: number;
}

const zero = (): Counts => Object.fromEntries(CLASSES.map((c) => [c, 0])) as Counts;

/**
 * An in-process outcome worth confirming in a process of its own: one that fails the campaign or is a known
 * crash, an exit status no command should give in-process (70, or a signal's), or a run that took more than
 * a quarter of its time limit.
 */
export function suspicious(outcome: Outcome, cls: OutcomeClass, timeoutMs: number): boolean {
  return FAILING.has(cls) || cls === 'known-crash' || outcome.code === 70 || outcome.code >= 128 || outcome.ms > scaledLimit(timeoutMs) / 4;
}

/** Scratch space for the inputs' files: a RAM disk where there is one (thousands of small files a minute). */
function scratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignReport> {
  const scratch = mkdtempSync(join(scratchRoot(), 'shadowvm-torture-'));
  const replayDir = o.replayDir === undefined ? undefined : resolve(o.replayDir);
  const dirOf = (i: number): string => join(scratch, String(i));
  const byClass = zero();
  const byKind: Record<string, Counts> = {};
  const byCommand: Record<string, Counts> = {};
  const exitCodes: Record<string, number> = {};
  const failures: Failure[] = [];
  const known: Record<string, { count: number; first: number }> = {};
  const proc = { inputs: 0, suspicious: 0, seconds: 0, byClass: zero() };
  let slowest = { index: -1, ms: 0 };
  let peakHeap = 0;
  let peakRss = 0;
  let done = 0;

  const limits = { timeoutMs: o.timeoutMs, heapMb: o.heapMb };
  const queue = new ProcessQueue(Math.max(1, o.workers));
  let procBusy = 0;
  const confirm = (index: number, isSuspicious: boolean): void => {
    proc.inputs++;
    if (isSuspicious) proc.suspicious++;
    const begun = performance.now();
    queue.add(
      () => makeInput(o.seed, index),
      join(scratch, `p${index}`),
      limits,
      (outcome) => {
        procBusy += performance.now() - begun;
        record(index, outcome, 'process');
      },
    );
  };
  const record = (index: number, outcome: Outcome, via: 'thread' | 'process', seen?: { kind?: AnyKind; command?: string }): void => {
    const v = classify(outcome);
    if (via === 'thread') {
      const isSuspicious = suspicious(outcome, v.cls, o.timeoutMs);
      if (o.processEvery > 0 && (isSuspicious || index % o.processEvery === 0) && binary()) confirm(index, isSuspicious);
    }
    // The input is built again only when its kind or command is not known, or it must be saved.
    const rebuilt = seen?.kind === undefined || FAILING.has(v.cls) ? makeInput(o.seed, index) : undefined;
    const kind = seen?.kind ?? rebuilt!.kind;
    const command = seen?.command ?? rebuilt!.argv[0] ?? '';
    if (via === 'thread') {
      byClass[v.cls]++;
      (byKind[kind] ??= zero())[v.cls]++;
      (byCommand[command] ??= zero())[v.cls]++;
      exitCodes[String(outcome.code)] = (exitCodes[String(outcome.code)] ?? 0) + 1;
      if (outcome.ms > slowest.ms) slowest = { index, ms: outcome.ms };
    } else {
      proc.byClass[v.cls]++;
    }
    if (v.cls === 'known-crash') {
      const k = (known[v.why!] ??= { count: 0, first: index });
      k.count++;
    }
    if (rebuilt && FAILING.has(v.cls)) {
      const why = `${v.why} [${via}]`;
      const replay = replayDir ? saveReplay(replayDir, rebuilt, why) : undefined;
      failures.push({ index, kind, via, cls: v.cls, why: v.why!, argv: rebuilt.argv, ...(replay ? { replay } : {}) });
    }
  };
  const onRan = (r: Ran): void => {
    record(r.index, r.outcome, 'thread', r);
    peakHeap = Math.max(peakHeap, r.heapBytes);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (++done % 100 === 0) o.onProgress?.(done, failures.length);
  };

  const indices = o.only ?? Array.from({ length: o.count }, (_, i) => i);
  const started = performance.now();
  // Inputs run with their paths under `scratch`, but a random flag can name a relative path (`-o --json=1`):
  // the campaign works in its scratch directory, so such files never land where it was started.
  const home = process.cwd();
  const moved = enter(scratch);
  try {
    if (o.workers > 0) await runOnWorkers(o.seed, indices[Symbol.iterator](), o.workers, dirOf, limits, onRan);
    else await runInline(o.seed, indices, dirOf, limits, onRan);
    // The processes ran beside the threads; the campaign's time includes the ones still running.
    await queue.drained();
    const seconds = (performance.now() - started) / 1000;
    proc.seconds = procBusy / 1000;
    const probeResults: ProbeResult[] = [];
    if (o.probeTimeoutMs !== undefined) {
      for (const input of probes()) {
        const outcome = executeInProcess(input, join(scratch, `probe-${input.index}`), { timeoutMs: o.probeTimeoutMs, heapMb: o.heapMb });
        const v = classify(outcome);
        const line = [input.argv[0], input.files[0]!.name, ...input.argv.slice(2)].join(' ');
        probeResults.push({
          line,
          cls: v.cls,
          code: outcome.code,
          seconds: outcome.ms / 1000,
          message: outcome.stderr.split('\n').find((l) => l.trim()) ?? '',
        });
        if (FAILING.has(v.cls)) {
          const replay = replayDir ? saveReplay(replayDir, input, `${v.why} [probe]`) : undefined;
          failures.push({
            index: input.index,
            kind: 'probe',
            via: 'process',
            cls: v.cls,
            why: v.why!,
            argv: input.argv,
            ...(replay ? { replay } : {}),
          });
        }
      }
    }
    return {
      seed: o.seed,
      inputs: indices.length,
      seconds,
      perSecond: indices.length / Math.max(seconds, 1e-9),
      byClass,
      byKind,
      byCommand,
      exitCodes,
      processSamples: proc,
      failures,
      known,
      slowest,
      probes: probeResults,
      peakHeapBytes: peakHeap,
      peakRssBytes: peakRss,
    };
  } finally {
    if (moved) process.chdir(home);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Makes `dir` the working directory where this thread may (not in a worker thread); true when it did. */
function enter(dir: string): boolean {
  try {
    process.chdir(dir);
    return true;
  } catch {
    return false;
  }
}
