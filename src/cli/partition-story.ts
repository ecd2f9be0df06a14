/**
 * `shadowvm demo --partition`: a split brain, told. The channel is cut while both computers run; each side
 * suspects the other; who asked the arbiter and who won; what the deposed primary tried and was refused;
 * what the world saw, compared with a failure-free run and judged by the fuzzer's oracles.
 */
import type { ProgramImage } from '../../isa/image.js';
import { Pair, type PairOptions } from '../ft/pair.js';
import type { PairStop } from '../ft/pair-types.js';
import { World } from '../hw/world.js';
import { writesOf, type Effect } from '../hw/world-types.js';
import { formatFaultPoint, type FailurePoint } from '../ft/failure-point.js';
import type { ArbiterSide } from '../ft/arbiter.js';
import { checkOracles, type ReferenceOutcome } from '../fuzz/oracles.js';
import { IO_OP } from '../hw/types.js';
import { hash64 } from '../base/hash64.js';
import { describeStop, describeTimeout } from './report.js';
import { Deadline } from './deadline.js';
import { runPairTimed } from './timed-run.js';

export interface PartitionStory {
  readonly text: string;
  /** The story was told (the failure-free run halted, no timeout). */
  readonly told: boolean;
  /** Every oracle held: the world saw what the failure-free run showed it. */
  readonly ok: boolean;
  readonly timedOut?: boolean;
  /** How the failure-free run stopped when it did not halt: no story then. */
  readonly referenceStop?: Exclude<PairStop, 'halt'>;
}

const DEVICES = ['console', 'disk', 'ledger'];
const OPS: Record<number, string> = {
  [IO_OP.CONNECT]: 'CONNECT',
  [IO_OP.READ]: 'READ',
  [IO_OP.WRITE]: 'WRITE',
  [IO_OP.DISCONNECT]: 'DISCONNECT',
};

const refusal = (e: Effect): string =>
  `${OPS[e.refused!.op] ?? 'op'} of ${DEVICES[e.refused!.device] ?? `device ${e.refused!.device}`}` +
  (e.refused!.op === IO_OP.READ || e.refused!.op === IO_OP.WRITE ? ` at offset ${e.offset} (${e.len} bytes)` : '');

/** The split brain of `image` at `point` (default: the middle of the run), with `loser` losing the race to the arbiter. */
export function tellPartitionStory(
  image: ProgramImage,
  programName: string,
  opts: PairOptions,
  point: FailurePoint | undefined,
  loser: ArbiterSide,
  deadline = new Deadline(undefined),
): PartitionStory {
  const ref = new Pair(image, { ...opts, world: new World() });
  const r0 = runPairTimed(ref, deadline);
  if (r0.timedOut) return timeout(deadline, r0.result, image);
  const reference = r0.result;
  if (reference.stop !== 'halt') {
    return {
      told: false,
      ok: false,
      referenceStop: reference.stop,
      text: `shadowvm demo: the failure-free run of ${programName} did not halt (${describeStop(reference, ref, image)}).\nA split-brain story needs a guest that halts; nothing more was run.\n`,
    };
  }
  const at = point ?? { kind: 'event', n: Math.floor(ref.primary.state.events / 2) };
  const pair = new Pair(image, { ...opts, partition: { at, loser }, world: new World() });
  const r1 = runPairTimed(pair, deadline);
  if (r1.timedOut) return timeout(deadline, r1.result, image);
  const run = r1.result;
  const outcome: ReferenceOutcome = {
    stop: reference.stop,
    exitCode: reference.exitCode,
    console: ref.world.consoleView(),
    diskHash: ref.world.diskDigest(),
    instructions: reference.instructions,
    naturalDuplicates: ref.world.effects.filter((e) => e.duplicate).map((e) => `${e.kind}@${e.offset}+${e.len}`),
    ledger: ref.world.ledger.contents().map((e) => hash64(e)),
  };
  const violations = checkOracles({ reference: outcome, pair, result: run, diskHash: pair.world.diskDigest() });

  const lines: string[] = [];
  const say = (s = ''): number => lines.push(s);
  const part = pair.partition!;
  say(`shadowvm: a split brain on ${programName}, epochs of ${pair.config.epochLength} instructions`);
  say();
  say(`1. Without a failure: exit code ${reference.exitCode}, ${reference.instructions} instructions, ${writesOf(ref.world)} writes.`);
  say();
  say(`2. Again, with the channel cut in both directions at the primary's ${formatFaultPoint({ partition: false, point: at })}`);
  say(
    `   (epoch ${part.state().cutInEpoch ?? '?'}); both computers are alive and run on. Every message the primary sends from then on is lost.`,
  );
  say(`   Each fault monitor hears nothing from the other side and suspects it. Before acting, each asks the arbiter,`);
  say(`   an atomic test-and-set beside the shared devices that numbers each winner with a new incarnation:`);
  for (const d of pair.arbiter.decisions) {
    const what = d.why === 'takeover' ? 'to take over' : 'to go on alone';
    say(
      `   - the ${d.asker} asked ${what}, expecting incarnation ${d.expected}: ${d.won ? `WON incarnation ${d.incarnation}; the devices now refuse every older one` : `lost (incarnation ${d.incarnation} is taken), so it stopped itself`}.`,
    );
  }
  const winner = pair.arbiter.holder;
  const won = pair.arbiter.decisions.find((d) => d.won);
  const t = run.takeover;
  if (t) {
    say(
      `   The backup took over as after a failure (Figure 7): DISCONNECTED for ${t.disconnected.map((d) => DEVICES[d] ?? d).join(' and ') || 'no device'}, and its guest reissued ${t.reissued} operation(s).`,
    );
  }
  say();
  const refused = pair.world.effects.filter((e) => e.kind === 'refused');
  const deposed = winner === 'backup' ? 'primary' : 'backup';
  if (refused.length > 0) {
    say(`3. The deposed ${deposed} did not know at first and went on. What it tried after the ${winner} won:`);
    for (const e of refused.slice(0, 6))
      say(`   - a ${refusal(e)} of incarnation ${e.refused!.incarnation}: REFUSED (ERROR, result 0xFFFFFFFF), never performed`);
    if (refused.length > 6) say(`   - ... and ${refused.length - 6} more, all refused`);
    say(`   At its first refused request it learned that it had been deposed, and stopped itself (fail-stop).`);
  } else {
    say(`3. The deposed ${deposed} performed no I/O after the ${winner} won: nothing of it reached a device to be refused.`);
  }
  say();
  const after = won ? pair.world.effects.slice(won.worldEffects) : [];
  const byLoser = after.filter((e) => e.by === deposed && e.kind !== 'refused' && e.kind !== 'grant').length;
  const sameConsole = run.console === reference.console;
  const sameDisk = pair.world.diskDigest() === ref.world.diskDigest();
  say(
    `4. The outside world: ${pair.world.effects.length} entries in its log (${refused.length} refusal(s), ${pair.arbiter.decisions.length} answer(s) of the arbiter, the rest writes); after the arbiter's answer, ${byLoser} effect(s) from the ${deposed}.`,
  );
  say(
    `   Exit code ${run.exitCode} (failure-free ${reference.exitCode}). Same console output: ${yes(sameConsole)}. Same disk contents: ${yes(sameDisk)}.`,
  );
  say(
    violations.length === 0
      ? '   Every oracle held (fencing, single-primary, exactly-once among them): the guest saw at most an ordinary takeover.'
      : `   Oracles violated: ${violations.map((v) => `${v.oracle} (${v.detail})`).join('; ')}`,
  );
  say();
  say('--- console output of the run with the partition ---');
  return { told: true, ok: violations.length === 0, text: lines.join('\n') + '\n' + run.console };
}

const yes = (b: boolean): string => (b ? 'yes' : 'NO');

function timeout(deadline: Deadline, result: { instructions: number; pc: number }, image: ProgramImage): PartitionStory {
  return { told: false, ok: false, timedOut: true, text: describeTimeout(deadline.seconds!, result.instructions, result.pc, image) + '\n' };
}
