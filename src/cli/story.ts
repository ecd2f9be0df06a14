/**
 * The main demo's account: a guest under both monitors, the primary failing midway, the backup taking
 * over and finishing, told step by step with the patent's figure numbers, and the world's output
 * compared with a failure-free run.
 */
import type { ProgramImage } from '../../isa/image.js';
import { Pair, type PairOptions, type PairResult } from '../ft/pair.js';
import { World } from '../hw/world.js';
import { writesOf } from '../hw/world-types.js';
import { formatFailurePoint, type FailurePoint } from '../ft/failure-point.js';
import type { EventKind } from '../vmm/state.js';
import { describeStop, describeTimeout } from './report.js';
import { Deadline } from './deadline.js';
import { runPairTimed } from './timed-run.js';

export type Story =
  | {
      readonly told: true;
      readonly text: string;
      readonly reference: PairResult;
      readonly failed: PairResult;
      readonly point: FailurePoint;
      readonly sameOutput: boolean;
    }
  /** The failure-free run did not halt (budget, fault, divergence), or `--timeout` ended a run: no story. */
  | { readonly told: false; readonly text: string; readonly reference: PairResult; readonly timedOut?: boolean };

/** Thrown inside tellStory when the deadline passes during one of its runs. */
class StoryTimeout extends Error {
  constructor(
    readonly pair: Pair,
    readonly result: PairResult,
  ) {
    super('timeout');
  }
}

function runWithin(pair: Pair, deadline: Deadline): PairResult {
  const { result, timedOut } = runPairTimed(pair, deadline);
  if (timedOut) throw new StoryTimeout(pair, result);
  return result;
}

const DEVICE_NAMES = ['console', 'disk'];

interface Tally {
  events: Record<EventKind, number>;
  messages: Record<string, number>;
}

function watch(pair: Pair): Tally {
  const t: Tally = { events: { 'io-issued': 0, 'message-sent': 0, 'completion-received': 0 }, messages: {} };
  pair.primary.observe({
    onEvent: (kind, detail) => {
      t.events[kind]++;
      if (kind === 'message-sent') t.messages[detail] = (t.messages[detail] ?? 0) + 1;
    },
  });
  return t;
}

/**
 * Picks a failure point in the middle of the run where the primary has disk writes in flight, so that the
 * failover has outstanding operations to deal with (falls back to the middle event).
 */
function interestingPoint(image: ProgramImage, opts: PairOptions, totalEvents: number, deadline: Deadline): FailurePoint {
  const probe = new Pair(image, { ...opts, world: new World() });
  let best: number | undefined;
  probe.primary.observe({
    onEvent: () => {
      const n = probe.primary.state.events;
      if (best === undefined && n >= totalEvents / 2 && probe.primary.computer.devices.inFlight().length >= 2) best = n;
    },
  });
  runWithin(probe, deadline);
  probe.dispose();
  return { kind: 'event', n: best ?? Math.floor(totalEvents / 2) };
}

/** The story of a failover of `image`; with a `deadline` (`--timeout`), every run in it stops when it passes. */
export function tellStory(
  image: ProgramImage,
  programName: string,
  opts: PairOptions = {},
  point?: FailurePoint,
  deadline = new Deadline(undefined),
  watchFailed?: (pair: Pair) => void,
): Story {
  try {
    return story(image, programName, opts, point, deadline, watchFailed);
  } catch (err) {
    if (!(err instanceof StoryTimeout)) throw err;
    const st = err.pair.serving.computer.cpu.state;
    return {
      told: false,
      timedOut: true,
      reference: err.result,
      text: describeTimeout(deadline.seconds!, st.instret, st.pc >>> 0, image) + '\n',
    };
  }
}

function story(
  image: ProgramImage,
  programName: string,
  opts: PairOptions,
  point: FailurePoint | undefined,
  deadline: Deadline,
  watchFailed?: (pair: Pair) => void,
): Story {
  const ref = new Pair(image, { ...opts, world: new World() });
  const refTally = watch(ref);
  const reference = runWithin(ref, deadline);
  if (reference.stop !== 'halt') {
    const why = describeStop(reference, ref, image);
    ref.dispose();
    return {
      told: false,
      reference,
      text: `shadowvm demo: the failure-free run of ${programName} did not halt (${why}).\nA failover story needs a guest that halts; nothing more was run.\n`,
    };
  }
  const at = point ?? interestingPoint(image, opts, ref.primary.state.events, deadline);
  const pair = new Pair(image, { ...opts, failAt: at, world: new World() });
  const tally = watch(pair);
  watchFailed?.(pair);
  const failed = runWithin(pair, deadline);
  const epoch = pair.config.epochLength;
  const lines: string[] = [];
  const say = (s = ''): number => lines.push(s);
  say(`shadowvm: ${programName} on a primary and a backup computer, epochs of ${epoch} instructions`);
  say();
  say(`1. Without a failure: ${reference.epochs} epochs, ${reference.instructions} instructions on each replica.`);
  say(`   The primary sent ${reference.messages} messages over the FIFO channel: ${fmtKinds(refTally.messages)}.`);
  say(`   The backup ran at least one epoch behind and turned every io instruction into a no-op.`);
  say(`   Exit code ${reference.exitCode}; the world saw ${writesOf(ref.world)} writes.`);
  say();
  const f = pair.failure;
  say(`2. Again, with the primary failing at ${formatFailurePoint(at)} (fail-stop):`);
  if (f) {
    say(`   It stopped after ${f.instret} instructions, in epoch ${f.epoch}, having issued ${tally.events['io-issued']} I/O operations,`);
    say(`   received ${tally.events['completion-received']} completions and sent ${tally.events['message-sent']} messages;`);
    say(
      `   Its guest had ${f.outstanding.length} operation(s) without a COMPLETED record, ${f.inFlight} still in flight at its devices (Rule 3: performed or not).`,
    );
  }
  const t = failed.takeover;
  if (t) {
    say(`   The fault monitor told the backup once every message sent before the failure had arrived. The backup:`);
    say(`   - step 308: set Processor_Type to primary;`);
    say(`   - step 312: deleted ${t.deletedCompletions} I/O completion(s) received for epoch ${t.epoch}, the epoch of the failure;`);
    say(
      `   - step 314: added DISCONNECTED for ${t.disconnected.length ? t.disconnected.map((d) => DEVICE_NAMES[d] ?? `device ${d}`).join(' and ') : 'no device (none was connected)'};`,
    );
    say(`   - steps 316-318: finished epoch ${t.epoch - 1} and delivered them at its end;`);
    say(
      `   - step 320: the guest connected again and reissued ${t.reissued} of the ${t.outstanding} operation(s) it had outstanding at the end of epoch ${t.epoch - 1}.`,
    );
    say(
      `   The takeover cost the backup ${t.instructions} instructions of catching up (${(t.virtualTime / 1000).toFixed(1)} us of virtual time).`,
    );
  } else if (failed.failedOver === false) {
    say(`   No takeover happened (the failure came after the run ended).`);
  }
  say(`   The new primary finished the run: exit code ${failed.exitCode}, ${failed.instructions} instructions.`);
  say();
  const sameConsole = failed.console === reference.console;
  const sameDisk = Buffer.compare(Buffer.from(pair.world.diskBytes()), Buffer.from(ref.world.diskBytes())) === 0;
  const sameExit = failed.exitCode === reference.exitCode && failed.stop === reference.stop;
  say(`3. The outside world: ${writesOf(pair.world)} writes, ${pair.world.duplicates} duplicate(s) absorbed by positional devices.`);
  say(`   Same exit code: ${yes(sameExit)}. Same console output: ${yes(sameConsole)}. Same disk contents: ${yes(sameDisk)}.`);
  if (!t) say(`   No takeover happened, so the guest saw no failure at all.`);
  else if (sameExit && sameConsole && sameDisk) say(`   The processor failure looked to the guest like an ordinary I/O failure.`);
  else say(`   The guest did NOT survive the failure unchanged: the world saw something the failure-free run did not.`);
  say();
  say('--- console output of the run with the failure ---');
  ref.dispose();
  pair.dispose();
  return {
    told: true,
    text: lines.join('\n') + '\n' + failed.console,
    reference,
    failed,
    point: at,
    sameOutput: sameConsole && sameDisk && sameExit,
  };
}

const yes = (b: boolean): string => (b ? 'yes' : 'NO');

function fmtKinds(m: Record<string, number>): string {
  return Object.entries(m)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}
