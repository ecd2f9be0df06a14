/**
 * The failure-sequence sweep of a replica group: a first failure at every distinct point (`event:0` ..
 * `event:E-1` of the failure-free run, or an even sample of them), of the primary and of the first backup, and
 * for each, a bounded set of second failures placed on that first case's own timeline: of the primary right
 * after the loss (the takeover, for a primary), before the rebackup's transfer starts, during the transfer, and
 * after the new backup joined; of the backup right after a takeover; and of the replica joining, during its
 * transfer (which is then abandoned and started again). Each case is
 * judged by the fuzzer's world oracles and a group oracle: no surviving replica's digest differs. A second
 * failure that leaves no backup alive (K = 1 before the rebackup joined) ends the group; such a case is
 * counted as `lost`, not as a violation: section 8 promises survival only with a replica left.
 */
import type { ProgramImage } from '../../isa/image.js';
import { DEFAULTS } from '../base/defaults.js';
import { Group, type GroupOptions, type GroupResult } from '../ft/group.js';
import { formatFailureSequence, type FailureStep } from '../ft/failure-sequence.js';

/** Which replica a failure of the sweep names. */
export type SweptReplica = 'primary' | 'backup' | 'joining';

export interface SequenceSweepOptions extends Omit<GroupOptions, 'failures'> {
  /** Replicas the sweep fails (default all three): a backup first and second, the joining replica second. */
  readonly replicas?: readonly SweptReplica[];
  /** First failure points (group events) to use; default every distinct one. */
  readonly firstPoints?: readonly number[];
  /** At most this many first points, spread evenly over the run (default: all). */
  readonly maxFirst?: number;
  /** Called after each case. */
  readonly onCase?: (c: SequenceCase, done: number) => void;
  /** Wall-clock bound in ms: the sweep stops early (and says so). */
  readonly timeLimitMs?: number;
  /** The program's name in replay lines. */
  readonly programName?: string;
}

export type SecondWindow = 'none' | 'after-loss' | 'after-takeover' | 'before-transfer' | 'during-transfer' | 'after-join';

export interface SequenceCase {
  readonly failures: string;
  readonly window: SecondWindow;
  /** The replica each failure named, in order. */
  readonly replicas: readonly SweptReplica[];
  /** ok: the guest survived as the failure-free run did; lost: the second failure found no backup left. */
  readonly verdict: 'ok' | 'lost' | 'violation';
  readonly violations: ReadonlyArray<{ readonly oracle: string; readonly detail: string }>;
  readonly replay: string;
  readonly ms: number;
}

export interface SequenceReport {
  readonly referenceEvents: number;
  readonly firstPoints: number;
  readonly cases: readonly SequenceCase[];
  readonly violations: readonly SequenceCase[];
  readonly lost: number;
  /** Windows opened, by name. */
  readonly windows: Readonly<Record<SecondWindow, number>>;
  /** Failures by the replica they named: first failures, and second ones. */
  readonly firsts: Readonly<Record<SweptReplica, number>>;
  readonly seconds: Readonly<Record<SweptReplica, number>>;
  /** Mean wall time of a one-failure case and of a two-failure case, in ms. */
  readonly msPerSingle: number;
  readonly msPerDouble: number;
  readonly complete: boolean;
}

interface Reference {
  readonly result: GroupResult;
  readonly console: string;
  readonly disk: Uint8Array;
  readonly events: number;
}

function judge(ref: Reference, g: Group, r: GroupResult): Array<{ oracle: string; detail: string }> {
  const v: Array<{ oracle: string; detail: string }> = [];
  if (r.diverged) v.push({ oracle: 'digests', detail: `replicas diverged in epoch ${r.divergence?.epoch}: ${r.divergence?.where}` });
  const alive = r.replicas.filter((x) => x.alive);
  const digests = new Set(alive.map((x) => x.digest));
  if (digests.size > 1) {
    v.push({ oracle: 'replica-digests', detail: `surviving replicas differ: ${alive.map((x) => `${x.name} ${x.digest}`).join(', ')}` });
  }
  if (r.stop === 'budget') v.push({ oracle: 'hang', detail: `the run did not finish within its budget (${r.instructions} instructions)` });
  if (r.stop === 'fault' && alive.length > 0) v.push({ oracle: 'guest-fault', detail: r.fault ?? 'the guest stopped on a fault' });
  if (r.exitCode !== ref.result.exitCode)
    v.push({ oracle: 'exit-code', detail: `exit code ${r.exitCode}, expected ${ref.result.exitCode}` });
  if (r.console !== ref.console)
    v.push({ oracle: 'console', detail: `console differs (${r.console.length} bytes, expected ${ref.console.length})` });
  const disk = g.world.diskBytes();
  if (disk.length !== ref.disk.length || disk.some((b, i) => b !== ref.disk[i])) v.push({ oracle: 'disk', detail: 'the disk differs' });
  return v;
}

/**
 * The second failures of one first case, from that case's own timeline. L is where the first failure's loss
 * happened: the takeover for a primary, the failure itself for a backup.
 */
function secondFailures(first: FailureStep, g: Group, total: number, kinds: readonly SweptReplica[]): Array<[SecondWindow, FailureStep]> {
  const f = (first.point as { n: number }).n;
  const primaryFirst = first.rank === 0;
  const L = primaryFirst ? g.marks.takeovers[0] : f;
  if (L === undefined) return [];
  const S = g.marks.transferStarts[0];
  const J = g.marks.joins[0];
  const at = (rank: FailureStep['rank'], n: number): FailureStep => ({ rank, point: { kind: 'event', n } });
  const primary: Array<[SecondWindow, number]> = [[primaryFirst ? 'after-takeover' : 'after-loss', L + 1]];
  if (S !== undefined && S > L + 1) primary.push(['before-transfer', S]);
  const during = S !== undefined && J !== undefined && J > S + 1 ? Math.floor((S + J) / 2) + 1 : undefined;
  if (during !== undefined) primary.push(['during-transfer', during]);
  if (J !== undefined) primary.push(['after-join', J + 1]);
  const seen = new Set<number>();
  const out: Array<[SecondWindow, FailureStep]> = primary
    .filter(([, n]) => n > f && n < total && !seen.has(n) && (seen.add(n), true))
    .map(([w, n]) => [w, at(0, n)]);
  // A backup right after a takeover: only where one followed the new primary.
  if (kinds.includes('backup') && primaryFirst && g.backupsAtStart >= 2 && L + 1 > f && L + 1 < total) {
    out.push(['after-takeover', at(1, L + 1)]);
  }
  if (kinds.includes('joining') && during !== undefined && during > f && during < total)
    out.push(['during-transfer', at('joining', during)]);
  return out;
}

function spread(n: number, max: number | undefined): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (max === undefined || max >= n) return all;
  return Array.from({ length: max }, (_, i) => Math.floor(((i + 0.5) * n) / max));
}

export function sweepFailureSequences(image: ProgramImage, opts: SequenceSweepOptions = {}): SequenceReport {
  const { firstPoints, maxFirst, onCase, timeLimitMs, programName, replicas: kinds = ['primary', 'backup', 'joining'], ...base } = opts;
  const groupOpts: GroupOptions = { ...base, monitor: { checkDigests: true, ...base.monitor } };
  const refGroup = new Group(image, groupOpts);
  const refResult = refGroup.run();
  const ref: Reference = {
    result: refResult,
    console: refResult.console,
    disk: refGroup.world.diskBytes().slice(),
    events: refGroup.events,
  };
  const start = Date.now();
  const cases: SequenceCase[] = [];
  const windows: Record<SecondWindow, number> = {
    none: 0,
    'after-loss': 0,
    'after-takeover': 0,
    'before-transfer': 0,
    'during-transfer': 0,
    'after-join': 0,
  };
  const firsts: Record<SweptReplica, number> = { primary: 0, backup: 0, joining: 0 };
  const seconds: Record<SweptReplica, number> = { primary: 0, backup: 0, joining: 0 };
  const named = (s: FailureStep): SweptReplica => (s.rank === 0 ? 'primary' : s.rank === 'joining' ? 'joining' : 'backup');
  let single = 0;
  let double = 0;
  let complete = true;
  const replayOf = (steps: FailureStep[]): string =>
    [
      `shadowvm pair ${programName ?? 'PROGRAM'} --check-digests`,
      `--backups ${groupOpts.backups ?? 1}`,
      groupOpts.rebackupAfter === undefined ? '' : `--rebackup-after ${groupOpts.rebackupAfter}`,
      `--seed ${groupOpts.seed ?? DEFAULTS.seed}`,
      groupOpts.ramMiB === undefined ? '' : `--ram ${groupOpts.ramMiB}`,
      `--fail-at ${formatFailureSequence(steps)}`,
    ]
      .filter((s) => s !== '')
      .join(' ');
  const runCase = (steps: FailureStep[], window: SecondWindow): Group => {
    const t = Date.now();
    const g = new Group(image, { ...groupOpts, failures: steps });
    const r = g.run();
    const violations = judge(ref, g, r);
    const last = r.failures[r.failures.length - 1];
    const lost = steps.length > 1 && violations.length > 0 && r.replicas.every((x) => !x.alive) && last?.backupsAlive === 0;
    const c: SequenceCase = {
      failures: formatFailureSequence(steps),
      window,
      replicas: steps.map(named),
      verdict: lost ? 'lost' : violations.length > 0 ? 'violation' : 'ok',
      violations: lost ? [] : violations,
      replay: replayOf(steps),
      ms: Date.now() - t,
    };
    cases.push(c);
    windows[window]++;
    (steps.length === 1 ? firsts : seconds)[named(steps[steps.length - 1]!)]++;
    if (steps.length === 1) single += c.ms;
    else double += c.ms;
    onCase?.(c, cases.length);
    return g;
  };
  const points = firstPoints ?? spread(ref.events, maxFirst);
  const firstRanks: Array<0 | 1> = kinds.includes('backup') ? [0, 1] : [0];
  outer: for (const f of points) {
    for (const rank of firstRanks) {
      if (timeLimitMs !== undefined && Date.now() - start > timeLimitMs) {
        complete = false;
        break outer;
      }
      const first: FailureStep = { rank, point: { kind: 'event', n: f } };
      const probe = runCase([first], 'none');
      for (const [window, second] of secondFailures(first, probe, probe.events, kinds)) {
        if (timeLimitMs !== undefined && Date.now() - start > timeLimitMs) {
          complete = false;
          break outer;
        }
        runCase([first, second], window);
      }
    }
  }
  const singles = cases.filter((c) => c.window === 'none').length;
  const doubles = cases.length - singles;
  return {
    referenceEvents: ref.events,
    firstPoints: points.length,
    cases,
    violations: cases.filter((c) => c.verdict === 'violation'),
    lost: cases.filter((c) => c.verdict === 'lost').length,
    windows,
    firsts,
    seconds,
    msPerSingle: singles ? single / singles : 0,
    msPerDouble: doubles ? double / doubles : 0,
    complete,
  };
}
