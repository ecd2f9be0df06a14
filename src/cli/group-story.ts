/**
 * The demo's account of a replica group (`demo --backups K`): the failures in order, each takeover by the
 * backup of lowest rank with the others following, each rebackup with its transfer figures, and what the
 * world saw compared with a failure-free run.
 */
import type { ProgramImage } from '../../isa/image.js';
import { Group, type GroupOptions, type GroupResult } from '../ft/group.js';
import { formatFailureSequence, type FailureStep } from '../ft/failure-sequence.js';
import { World } from '../hw/world.js';
import { writesOf } from '../hw/world-types.js';
import type { RebackupReport } from '../ft/rebackup-types.js';
import { runGroupTimed } from './group-run.js';
import type { Deadline } from './deadline.js';

export interface GroupStory {
  readonly text: string;
  readonly survived: boolean;
  readonly timedOut: boolean;
  readonly reference: GroupResult;
}

const DEVICE_NAMES = ['console', 'disk'];
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

/** The default story: the primary fails a third of the way through, and the new primary two thirds of the way. */
function defaultFailures(events: number): FailureStep[] {
  return [
    { rank: 0, point: { kind: 'event', n: Math.floor(events / 3) } },
    { rank: 0, point: { kind: 'event', n: Math.floor((2 * events) / 3) } },
  ];
}

function rebackupLines(t: RebackupReport): string[] {
  if (t.outcome !== 'joined') {
    return [`   Rebackup ${t.name}: started at the end of epoch ${t.startEpoch}, abandoned (${t.abortReason ?? 'still running'}).`];
  }
  return [
    `   Rebackup: ${t.name} joined by state transfer from the primary, ${t.startEpoch - t.lostAtEpoch} epochs after the loss:`,
    `   - ${t.rounds - 1} pre-copy round(s) while the guest ran, pages per round ${t.pagesPerRound.slice(0, -1).join(', ')} (the first: every non-zero page);`,
    `   - the final round at the end of epoch ${t.joinEpoch}: ${t.pagesPerRound[t.pagesPerRound.length - 1]} page(s) written again, and ${kib(t.stateBytes)} of registers, CSRs, monitor, I/O and clock state;`,
    `   - ${kib(t.ramBytes)} of RAM sent for ${kib(t.nonZeroRamBytes)} of non-zero guest RAM (${(t.ramBytes / t.nonZeroRamBytes).toFixed(2)}x); the guest paused ${t.pauseEpochs.toFixed(2)} epoch(s),`,
    `     held at that boundary: its clock jumped ${(t.pauseNs / 1000).toFixed(1)} us with no instruction run;`,
    `   - protected again ${t.epochsToProtection} epochs after the loss; from then on its digest matched the primary's at every epoch end.`,
  ];
}

export function tellGroupStory(
  image: ProgramImage,
  programName: string,
  opts: GroupOptions,
  failures: FailureStep[] | undefined,
  deadline: Deadline,
): GroupStory {
  const refGroup = new Group(image, { ...opts, world: new World() });
  const ref = runGroupTimed(refGroup, deadline);
  if (ref.timedOut || ref.result.stop !== 'halt') {
    return {
      text: `shadowvm demo: the failure-free run of ${programName} did not halt (${ref.result.stop}).\n`,
      survived: false,
      timedOut: ref.timedOut,
      reference: ref.result,
    };
  }
  const steps = failures ?? defaultFailures(refGroup.events);
  const g = new Group(image, { ...opts, failures: steps, world: new World() });
  const { result: r, timedOut } = runGroupTimed(g, deadline);
  const lines: string[] = [];
  const say = (s = ''): number => lines.push(s);
  const k = opts.backups ?? 1;
  say(`shadowvm: ${programName} on a primary and ${k} backup(s), each backup on its own FIFO channel (fan-out)`);
  say();
  say(`1. Without a failure: ${ref.result.epochs} epochs, ${ref.result.instructions} instructions on each of the ${k + 1} replicas;`);
  say(
    `   the primary sent every message to each backup. Exit code ${ref.result.exitCode}; the world saw ${writesOf(refGroup.world)} writes.`,
  );
  say();
  say(
    `2. Again, failing ${formatFailureSequence(steps)}` +
      (opts.rebackupAfter === undefined ? ':' : `, with a rebackup ${opts.rebackupAfter} epochs after each loss:`),
  );
  type Item = { epoch: number; order: number; lines: string[] };
  const items: Item[] = [];
  let takeover = 0;
  for (const f of r.failures) {
    const fl = [
      `   ${f.name} (${f.side === 'primary' ? 'the primary' : f.side === 'joining' ? 'joining by state transfer' : `backup of rank ${f.rank}`}) failed at ${f.step}: epoch ${f.epoch}, after ${f.instret} instructions.`,
    ];
    if (f.side === 'backup') fl.push(`   The primary went on with ${f.backupsAlive} backup(s).`);
    else if (f.backupsAlive === 0) fl.push('   No backup was left: the group is lost.');
    else {
      const t = r.takeovers[takeover++];
      if (t) {
        fl.push(
          `   Takeover (Figure 7) by the backup of lowest rank, at the end of epoch ${t.epoch - 1}: ${t.deletedCompletions} completion(s) deleted, DISCONNECTED for ${t.disconnected.map((d) => DEVICE_NAMES[d] ?? `device ${d}`).join(' and ') || 'no device'};`,
        );
        fl.push(
          `   the guest reissued ${t.reissued} of ${t.outstanding} outstanding operation(s). ${f.backupsAlive - 1} other backup(s) followed from the same boundary.`,
        );
      }
    }
    if (f.backupsAlive === 0 && f.side === 'backup') fl.push('   The primary now runs UNPROTECTED.');
    items.push({ epoch: f.epoch, order: 0, lines: fl });
  }
  for (const t of r.rebackups) items.push({ epoch: t.startEpoch, order: 1, lines: rebackupLines(t) });
  items.sort((a, b) => a.epoch - b.epoch || a.order - b.order);
  for (const it of items) for (const l of it.lines) say(l);
  say(
    `   The run ended: ${r.stop === 'halt' ? `exit code ${r.exitCode}` : r.stop}, ${r.instructions} instructions; ${r.backups} backup(s) at the end${r.unprotected ? ' (UNPROTECTED)' : ''}.`,
  );
  say();
  const sameConsole = r.console === ref.result.console;
  const sameDisk = Buffer.compare(Buffer.from(g.world.diskBytes()), Buffer.from(refGroup.world.diskBytes())) === 0;
  const sameExit = r.stop === 'halt' && r.exitCode === ref.result.exitCode;
  const alive = r.replicas.filter((x) => x.alive);
  const sameDigests = new Set(alive.map((x) => x.digest)).size === 1;
  const yes = (b: boolean): string => (b ? 'yes' : 'NO');
  say(`3. The outside world: ${writesOf(g.world)} writes, ${g.world.duplicates} duplicate(s) absorbed by positional devices.`);
  say(`   Same exit code: ${yes(sameExit)}. Same console output: ${yes(sameConsole)}. Same disk contents: ${yes(sameDisk)}.`);
  say(
    `   The ${alive.length} surviving replica(s) (${alive.map((x) => x.name).join(', ')}) end with the same state digest: ${yes(sameDigests && alive.length > 0)}.`,
  );
  say();
  say('--- console output of the run with the failures ---');
  return {
    text: lines.join('\n') + '\n' + r.console,
    survived: sameConsole && sameDisk && sameExit && sameDigests,
    timedOut,
    reference: ref.result,
  };
}
