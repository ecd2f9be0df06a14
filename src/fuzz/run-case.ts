/** Runs one fuzz case from the best snapshot at or before its failure point, and judges it with the oracles. */
import { Pair, type PairResult } from '../ft/pair.js';
import type { ProgramImage } from '../../isa/image.js';
import { checkOracles, type Violation } from './oracles.js';
import { pairOptionsOf, type CaseEnvironment, type FuzzCase } from './case.js';
import { windowsOf, type CaseWindows } from './coverage.js';
import { freshWorld, type Reference, type SnapshotMark } from './reference.js';

export interface CaseOutcome {
  readonly case: FuzzCase;
  readonly violations: Violation[];
  /** Everything observable about the run, for the determinism check (bit for bit). */
  readonly fingerprint: string;
  /** What the world and the guest ended with, without timing figures: equal for equivalent failure points. */
  readonly outcomeKey: string;
  /** The failed computer's externally visible actions at the failure (its equivalence class). */
  readonly failedAfterEvents: number | undefined;
  /** Operations in flight at the failed computer's devices (Rule 3 applies to them). */
  readonly inFlightAtFailure: number;
  /** The uncertainty windows this case opened (see coverage.ts). */
  readonly windows: CaseWindows | undefined;
  readonly failedAtInstruction: number | undefined;
  readonly result: PairResult;
}

/**
 * The latest snapshot that is not past the case's failure point; undefined means start from reset.
 * Snapshots are taken between turns, so one taken with N events done may already be past the instant
 * of the Nth event, where a failure at `event:N` happens: for event points only earlier ones qualify.
 */
export function snapshotFor(ref: Reference, c: FuzzCase): SnapshotMark | undefined {
  let best: SnapshotMark | undefined;
  // The reference ran without cuts: a snapshot serves a case with cuts only from before its first cut.
  const firstCut = c.cuts?.length ? Math.min(...c.cuts) : Infinity;
  for (const m of ref.snapshots) {
    const ok =
      (m.primaryInstret < firstCut || m.primaryInstret === 0) &&
      (c.fail === 'primary' || c.partition
        ? c.point.kind === 'event'
          ? m.events < c.point.n || m.primaryInstret === 0
          : c.point.kind === 'instruction'
            ? m.primaryInstret <= c.point.n
            : m.primaryEpoch <= c.point.n
        : c.fail === 'backup' && c.point.kind === 'instruction'
          ? m.backupInstret <= c.point.n
          : false);
    if (ok) best = m;
  }
  return best;
}

/** The result with its console replaced by `key`, without reading (decoding) the console. */
function withoutConsole(result: PairResult, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(result)) out[k] = k === 'console' ? key : result[k as keyof PairResult];
  return out;
}

export function runCase(image: ProgramImage, ref: Reference, c: FuzzCase, env: CaseEnvironment, fromScratch = false): CaseOutcome {
  const opts = { ...pairOptionsOf(c, env), world: freshWorld(env) };
  const mark = fromScratch ? undefined : snapshotFor(ref, c);
  const pair = mark ? new Pair(undefined, opts, mark.snap) : new Pair(image, opts);
  const result = pair.run();
  const refDisk = ref.outcome.disk;
  const diskHash = refDisk ? pair.world.diskDigestAgainst(refDisk, ref.outcome.diskHash) : pair.world.diskDigest();
  // The console by digest and length: a key or fingerprint never holds the guest's output itself.
  const consoleKey = `${pair.world.consoleDigest()}+${pair.world.consoleLength}`;
  const violations = checkOracles({ reference: ref.outcome, pair, result, diskHash });
  const effects = pair.world.effects.map((e) => [e.by, e.kind, e.offset, e.len, e.duplicate, e.error]);
  const t = result.takeover;
  const outcomeKey = JSON.stringify({
    stop: result.stop,
    exitCode: result.exitCode,
    console: consoleKey,
    diskHash,
    effects: effects.map((e) => e.slice(1)),
    takeover: t ? [t.epoch, t.deletedCompletions, t.disconnected, t.outstanding, t.reissued] : null,
    failedEvents: pair.failure?.events,
  });
  const windows = windowsOf(pair, c.outstanding);
  pair.dispose();
  return {
    case: c,
    violations,
    fingerprint: JSON.stringify({ result: withoutConsole(result, consoleKey), effects, diskHash }),
    outcomeKey,
    failedAfterEvents: pair.failure?.events,
    inFlightAtFailure: pair.failure?.inFlight ?? 0,
    windows,
    failedAtInstruction: pair.failure?.instret,
    result,
  };
}
