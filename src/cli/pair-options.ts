/** The options shared by `pair`, `step` and `fuzz` replay lines: one table, one parser. */
import { DEFAULTS } from '../base/defaults.js';
import type { OptionSpec, ParsedArgs } from './command.js';
import { flag, intOpt, readOptionalFile, stringOpt } from './args.js';
import type { PairOptions } from '../ft/pair.js';
import { parseFaultPoint } from '../ft/failure-point.js';
import { worldWith } from './stdin.js';
import { TIMEOUT_OPTION } from './deadline.js';
import { exitBudgetFor } from '../base/exit-budget.js';

export const PAIR_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  epoch: { type: 'string', valueName: 'N', description: `instructions per epoch (default ${DEFAULTS.epochLength})` },
  seed: { type: 'string', valueName: 'S', description: 'seed of the whole run (default 1)' },
  'drain-priv': { type: 'string', valueName: '0|1', description: 'Drain_Priv: 1 makes drain exit to the monitor (default 1)' },
  'drain-ends-epoch': { type: 'boolean', description: 'a drain also ends the epoch (the alternate embodiment)' },
  'check-digests': { type: 'boolean', description: 'compare state digests of the replicas at every epoch end' },
  'no-protocol': { type: 'boolean', description: 'ablation: deliver interrupts and traps the moment they arrive' },
  'trap-delay': { type: 'string', valueName: 'D', description: "largest delay of the hardware's deferred traps (default 16)" },
  'channel-capacity': { type: 'string', valueName: 'N', description: 'messages the channel holds before the primary waits (default 1024)' },
  'max-instructions': {
    type: 'string',
    valueName: 'N',
    description: `instruction budget per computer (default ${DEFAULTS.maxInstructions})`,
  },
  timeout: TIMEOUT_OPTION,
  ram: { type: 'string', valueName: 'MiB', description: 'RAM of each computer in MiB (default 16)' },
  input: {
    type: 'string',
    valueName: 'FILE',
    description: 'console input stream, - for stdin (pair: default stdin when it is not a terminal)',
  },
  disk: { type: 'string', valueName: 'FILE', description: 'disk image (read; the run works on a copy in memory)' },
};

/** The pair's options; `consoleSource` (stdin, read lazily) replaces `--input FILE` when given. */
export function pairOptionsFromArgs(args: ParsedArgs, consoleSource?: () => Uint8Array): PairOptions {
  const drainPriv = intOpt(args, 'drain-priv', 0, 1) as 0 | 1 | undefined;
  const failAt = stringOpt(args, 'fail-at');
  const maxInstructions = intOpt(args, 'max-instructions', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULTS.maxInstructions;
  return {
    seed: intOpt(args, 'seed', 0, 0xffffffff) ?? 1,
    monitor: {
      epochLength: intOpt(args, 'epoch', 1, 1 << 30) ?? DEFAULTS.epochLength,
      drainPriv: drainPriv ?? 1,
      drainEndsEpoch: flag(args, 'drain-ends-epoch'),
      checkDigests: flag(args, 'check-digests'),
      protocol: !flag(args, 'no-protocol'),
    },
    trapDelayMax: intOpt(args, 'trap-delay', 0, 1 << 20),
    channelCapacity: intOpt(args, 'channel-capacity', 1, 1 << 24),
    maxInstructions,
    maxExits: exitBudgetFor(maxInstructions),
    ramMiB: intOpt(args, 'ram', 1, 1024),
    ...failOptions(failAt),
    world: worldWith(
      {
        input: consoleSource ? undefined : readOptionalFile(stringOpt(args, 'input'), 'input file'),
        disk: readOptionalFile(stringOpt(args, 'disk'), 'disk image'),
      },
      consoleSource,
    ),
  };
}

/** `--fail-at`: a fail-stop point of the primary, or a partition at a point of its run (which the primary loses). */
function failOptions(text: string | undefined): Pick<PairOptions, 'failAt' | 'partition'> {
  if (text === undefined) return {};
  const p = parseFaultPoint(text);
  return p.partition ? { partition: { at: p.point, loser: 'primary' } } : { failAt: p.point };
}
