/**
 * What `step` steps: a pair, or a replica group (`--backups K`). The stepper drives the serving replica itself;
 * the target says which replicas there are, lets the backups catch up, fails a replica and runs to the end.
 */
import { hex8 } from '../base/format.js';
import { Pair, type PairOptions } from '../ft/pair.js';
import { Group, type GroupOptions } from '../ft/group.js';
import type { PairResult } from '../ft/pair-types.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import type { ProgramImage } from '../../isa/image.js';
import type { Monitor } from '../vmm/monitor.js';
import type { TakeoverReport } from '../vmm/failover.js';
import type { Deadline } from './deadline.js';
import { runPairTimed } from './timed-run.js';
import { runGroupTimed } from './group-run.js';
import { describeStop } from './report.js';

/** One replica's column. */
export interface StepColumn {
  /** The replica's name (the pair's: primary and backup). */
  readonly name: string;
  /** Its rank now; undefined once it has failed. */
  readonly rank: number | undefined;
  readonly monitor: Monitor;
  /** What waits on its channel for it to execute (none for the primary). */
  readonly queue: readonly PrimaryToBackup[];
}

export interface StepTarget {
  readonly kind: 'pair' | 'group';
  /** The replica that serves the world now: the one the stepper runs. */
  readonly serving: Monitor;
  /** Every replica, live ones by rank, then the failed ones. */
  columns(): StepColumn[];
  /** After the serving replica ended an epoch. */
  epochEnded(): void;
  /** Every backup executes every epoch it has been told of; what ran, a line a backup. */
  catchUp(limit: number): string;
  /** `f [RANK|joining]`: fails a replica here; what happened. */
  fail(arg: string | undefined): string;
  /** Runs everything to the end, or until the deadline; the line that says how it ended. */
  runToEnd(deadline: Deadline, image: ProgramImage): { result: PairResult; timedOut: boolean; stop: string };
  /** Lines under the columns: protection and a transfer in progress. */
  notes(): string[];
  /** The last takeover, in a sentence (the browser's banner). */
  failover(): string | undefined;
  dispose(): void;
}

const failLine = (name: string, m: Monitor): string => {
  const st = m.computer.cpu.state;
  return `${name} fail-stops at instret ${st.instret}, pc ${hex8(st.pc >>> 0)}\n`;
};

/** A backup runs every epoch it has been told of; how many it ran. */
const runToldEpochs = (b: Monitor, limit: number): number => {
  let epochs = 0;
  while (!b.done && b.role === 'backup' && b.runEpoch(limit) === 'epoch') epochs++;
  return epochs;
};

/** What a takeover did, as `f` reports it (with the patent's step numbers). */
const tookOver = (t: TakeoverReport): string =>
  `took over in epoch ${t.epoch}: ${t.deletedCompletions} completion(s) deleted (312), DISCONNECTED for ${t.disconnected.length} device(s) (314)`;

/** What a takeover did, as the browser's banner says it. */
const tookOverBanner = (t: TakeoverReport): string =>
  `took over in epoch ${t.epoch} (${t.deletedCompletions} completion(s) deleted, DISCONNECTED for ${t.disconnected.length} device(s))`;

export class PairTarget implements StepTarget {
  readonly kind = 'pair';
  readonly pair: Pair;

  constructor(image: ProgramImage, opts: PairOptions) {
    this.pair = new Pair(image, opts);
  }

  get serving(): Monitor {
    return this.pair.serving;
  }

  columns(): StepColumn[] {
    return [
      { name: 'primary', rank: this.pair.primaryFailed ? undefined : 0, monitor: this.pair.primary, queue: [] },
      { name: 'backup', rank: this.pair.primaryFailed ? 0 : 1, monitor: this.pair.backup, queue: this.pair.channel.contents() },
    ];
  }

  epochEnded(): void {}

  notes(): string[] {
    return [];
  }

  catchUp(limit: number): string {
    const epochs = runToldEpochs(this.pair.backup, limit);
    return epochs ? `backup ran ${epochs} epoch(s)\n` : '';
  }

  fail(arg: string | undefined): string {
    if (arg !== undefined && arg !== '0') return `f: a pair fails only its primary (f or f 0); step --backups K fails any rank\n`;
    if (this.pair.primaryFailed) return 'the primary has already failed\n';
    const at = failLine('the primary', this.pair.primary);
    this.pair.failPrimaryNow();
    const t = this.pair.takeover;
    if (!t) return at + 'the backup did not take over\n';
    return `${at}the backup ${tookOver(t)}; stepping goes on with the new primary\n`;
  }

  runToEnd(deadline: Deadline, image: ProgramImage): { result: PairResult; timedOut: boolean; stop: string } {
    const { result, timedOut } = runPairTimed(this.pair, deadline);
    return { result, timedOut, stop: describeStop(result, this.pair, image) };
  }

  failover(): string | undefined {
    const t = this.pair.takeover;
    if (t) return `the primary failed; the backup ${tookOverBanner(t)}`;
    return this.pair.primaryFailed ? 'the primary failed' : undefined;
  }

  dispose(): void {
    this.pair.dispose();
  }
}

export class GroupTarget implements StepTarget {
  readonly kind = 'group';
  readonly group: Group;

  constructor(image: ProgramImage, opts: GroupOptions) {
    this.group = new Group(image, opts);
  }

  get serving(): Monitor {
    return this.group.serving;
  }

  columns(): StepColumn[] {
    const g = this.group;
    const live = g.members.map((r, rank) => ({ name: r.name, rank, monitor: r.monitor, queue: rank === 0 ? [] : r.input.contents() }));
    const failed = g.replicas.filter((r) => !r.alive).map((r) => ({ name: r.name, rank: undefined, monitor: r.monitor, queue: [] }));
    return [...live, ...failed];
  }

  epochEnded(): void {
    this.group.afterPrimaryEpoch();
  }

  notes(): string[] {
    const g = this.group;
    const out: string[] = [];
    const k = g.members.length - 1;
    out.push(
      k < 0
        ? 'group: every replica has failed'
        : k === 0
          ? 'group: the primary runs alone, UNPROTECTED'
          : `group: a primary and ${k} of ${g.backupsAtStart} backup(s)`,
    );
    const t = g.rebackups.running?.report();
    if (t) {
      out.push(
        `joining: ${t.name} by state transfer since epoch ${t.startEpoch}, round ${t.rounds}, ${t.ramBytes} bytes of RAM sent (f joining fails it)`,
      );
    }
    return out;
  }

  catchUp(limit: number): string {
    let log = '';
    if (this.group.serving.done) this.group.rebackups.abort('the guest finished first');
    for (const b of this.group.members.slice(1)) {
      const epochs = runToldEpochs(b.monitor, limit);
      if (epochs) log += `${b.name} ran ${epochs} epoch(s)\n`;
    }
    return log;
  }

  fail(arg: string | undefined): string {
    const g = this.group;
    const rank = arg === undefined ? 0 : arg === 'joining' ? 'joining' : /^\d+$/.test(arg) ? Number(arg) : undefined;
    if (rank === undefined) return `f: expected a rank (0 the primary, 1.. the backups) or joining, got '${arg}'\n`;
    const target = typeof rank === 'number' ? g.members[rank] : undefined;
    const joining = g.rebackups.running?.name;
    const takeovers = g.takeovers.length;
    const at = target ? failLine(`${target.name} (rank ${rank})`, target.monitor) : '';
    const why = g.failNow(rank);
    if (why) return `f: ${why}\n`;
    if (rank === 'joining') return `${joining} (joining) fails during its state transfer: the transfer is abandoned\n`;
    if (rank !== 0) {
      const left = g.members.length - 1;
      return at + (left ? `the primary goes on with ${left} backup(s)\n` : 'the primary goes on alone, UNPROTECTED\n');
    }
    const t = g.takeovers[takeovers];
    if (!t) return at + (g.members.length === 0 ? 'no backup was left: every replica of the group has failed\n' : 'no backup took over\n');
    return `${at}${g.primary.name} ${tookOver(t)}; ${g.members.length - 1} backup(s) follow it; stepping goes on with the new primary\n`;
  }

  runToEnd(deadline: Deadline, image: ProgramImage): { result: PairResult; timedOut: boolean; stop: string } {
    const { result, timedOut } = runGroupTimed(this.group, deadline);
    const stop = result.stop === 'fault' && result.replicas.every((x) => !x.alive) ? 'every replica of the group failed' : undefined;
    return { result, timedOut, stop: stop ?? describeStop(result, this.group, image) };
  }

  failover(): string | undefined {
    const g = this.group;
    const t = g.takeovers[g.takeovers.length - 1];
    const failed = g.failures.map((f) => f.name).join(', ');
    if (t) return `failed: ${failed}; ${g.primary?.name ?? 'no replica'} ${tookOverBanner(t)}`;
    return failed ? `failed: ${failed}` : undefined;
  }

  dispose(): void {
    this.group.dispose();
  }
}
