/**
 * The fuzzer's oracles, each named in the report. A failed run must leave the world exactly as the
 * failure-free run did (exit code, console, disk), with duplicates only for operations outstanding at
 * the failure, no I/O by the backup before it took over, equal replica digests at every epoch before
 * the failure, no guest fault and no hang. With a partition (spec 9): no effect from a computer after it lost
 * the arbiter, never two computers performing I/O as primary at once; and the ledger's entries equal the
 * failure-free run's, entry for entry (exactly-once appends, spec 10).
 */
import type { OpRef, Pair, PairResult } from '../ft/pair.js';
import { FIRST_INCARNATION } from '../ft/arbiter.js';
import type { ConsoleView, Effect } from '../hw/world-types.js';
import { firstDifference, viewSlice, type PagedView } from '../hw/paged-bytes.js';
import { DEVICE } from '../hw/types.js';
import { hash64 } from '../base/hash64.js';

/** What the failure-free run left in the world. */
export interface ReferenceOutcome {
  readonly stop: PairResult['stop'];
  readonly exitCode: number;
  /** The console output: compared by digest and length, never copied or turned into a string. */
  readonly console: ConsoleView;
  readonly diskHash: string;
  /** The disk's bytes (copy-on-write pages): a case whose disk is the same has the same hash without hashing it. */
  readonly disk?: PagedView;
  readonly instructions: number;
  /** `kind@offset+len` of writes that were duplicates even without a failure (a program may rewrite the same bytes). */
  readonly naturalDuplicates: readonly string[];
  /** The ledger's entries, each as its 64-bit hash (base/hash64.ts), in order. */
  readonly ledger: readonly string[];
}

export interface OracleContext {
  readonly reference: ReferenceOutcome;
  readonly pair: Pair;
  readonly result: PairResult;
  readonly diskHash: string;
}

export interface Oracle {
  readonly name: OracleName;
  readonly description: string;
  /** A description of the violation, or undefined when the oracle holds. */
  check(ctx: OracleContext): string | undefined;
}

/** In the order they are checked and reported: a broken replica protocol first (it explains what follows), then the world.
 *  `determinism` and `resource` are verdicts of the engine and the pool (a case that ran out of memory), not checks of one run. */
export const ORACLE_NAMES = [
  'digests',
  'backup-io',
  'exit-code',
  'console',
  'disk',
  'duplicates',
  'guest-fault',
  'hang',
  'fencing',
  'single-primary',
  'exactly-once',
  'determinism',
  'resource',
] as const;
export type OracleName = (typeof ORACLE_NAMES)[number];

/** At most `n` bytes of a console from `at`, as a quoted string (an excerpt: reports never carry whole guest buffers). */
const show = (v: ConsoleView, at: number, n = 60): string => {
  const text = new TextDecoder().decode(viewSlice(v.bytes, at, at + n));
  return JSON.stringify(v.length - at > n ? text + '...' : text);
};

export const ORACLES: readonly Oracle[] = [
  {
    name: 'digests',
    description: "the replicas' digests were equal at every epoch before the failure",
    check: ({ result }) => (result.diverged ? `diverged in epoch ${result.divergence?.epoch}: ${result.divergence?.where}` : undefined),
  },
  {
    name: 'backup-io',
    description: 'the backup performed no I/O before taking over',
    check: ({ pair }) => {
      const before = pair.takeover?.worldEffectsBefore ?? pair.world.effects.length;
      const bad = pair.world.effects.slice(0, before).find((e: Effect) => e.by === 'backup' && e.kind !== 'grant');
      return bad ? `the backup did a ${bad.kind} at offset ${bad.offset} before taking over` : undefined;
    },
  },
  {
    name: 'exit-code',
    description: 'the run halts with the failure-free exit code',
    check: ({ reference, result }) =>
      result.stop === 'halt' && result.exitCode !== reference.exitCode
        ? `exit code ${result.exitCode}, expected ${reference.exitCode}`
        : undefined,
  },
  {
    name: 'console',
    description: 'the console output equals the failure-free output',
    check: ({ reference, pair }) => {
      const got = pair.world.consoleView();
      if (got.digest === reference.console.digest && got.length === reference.console.length) return undefined;
      const i = Math.max(0, firstDifference(got.bytes, reference.console.bytes));
      return `console differs at byte ${i}: got ${show(got, i)}, expected ${show(reference.console, i)}`;
    },
  },
  {
    name: 'disk',
    description: 'the disk contents equal the failure-free contents',
    check: ({ reference, diskHash }) =>
      diskHash === reference.diskHash ? undefined : `disk hash ${diskHash}, expected ${reference.diskHash}`,
  },
  {
    name: 'duplicates',
    description: 'the world saw duplicates only of operations outstanding at the failover, and no write errors',
    check: ({ pair, reference }) => {
      const outstanding = pair.takeover?.unknownOutcome ?? [];
      for (const e of pair.world.effects) {
        if (e.kind === 'refused') continue; // not performed (fencing's business)
        if (e.error) return `${e.kind} by ${e.by} at offset ${e.offset} (${e.len} bytes) was refused as an error`;
        if (!e.duplicate || reference.naturalDuplicates.includes(`${e.kind}@${e.offset}+${e.len}`)) continue;
        const device = e.kind === 'console-write' ? DEVICE.CONSOLE : e.kind === 'disk-write' ? DEVICE.DISK : DEVICE.LEDGER;
        // A ledger duplicate is an append absorbed by its sequence number: its offset is the entry's index, not a position.
        const covers = (op: OpRef): boolean =>
          device === DEVICE.LEDGER ? op.len === e.len : op.offset <= e.offset && e.offset + e.len <= op.offset + op.len;
        if (!outstanding.some((op) => op.device === device && covers(op))) {
          return `duplicate ${e.kind} at offset ${e.offset} (${e.len} bytes) was not outstanding at the failover`;
        }
      }
      return undefined;
    },
  },
  {
    name: 'guest-fault',
    description: 'the guest took no trap without a handler',
    check: ({ result }) => (result.stop === 'fault' ? `guest fault: ${result.fault ?? 'both computers failed'}` : undefined),
  },
  {
    name: 'hang',
    description: 'the run finished within its instruction budget',
    check: ({ result }) =>
      result.stop === 'budget'
        ? `no halt within the budget (${result.instructions} instructions, pc 0x${result.pc.toString(16)})`
        : undefined,
  },
  {
    name: 'fencing',
    description: 'no effect on the world from a computer after it lost the arbiter',
    check: ({ pair }) => {
      for (const d of pair.arbiter.decisions) {
        if (!d.won) continue;
        const loser = d.asker === 'primary' ? 'backup' : 'primary';
        const bad = pair.world.effects.slice(d.worldEffects).find((e) => e.by === loser && e.kind !== 'refused' && e.kind !== 'grant');
        if (bad) return `the ${loser} did a ${bad.kind} at offset ${bad.offset} after the ${d.asker} won incarnation ${d.incarnation}`;
      }
      return undefined;
    },
  },
  {
    name: 'single-primary',
    description: 'never two computers performing I/O as primary at once',
    // From the world's log alone: each effect must come from the holder of the arbiter's last grant before it (the
    // primary before any grant). Another computer's effect there means two computers acted as primary at once.
    check: ({ pair }) => {
      let holder = 'primary';
      let incarnation = FIRST_INCARNATION;
      for (const e of pair.world.effects) {
        if (e.kind === 'grant') {
          if (e.grant?.won) [holder, incarnation] = [e.by, e.grant.incarnation];
          continue;
        }
        if (e.kind !== 'refused' && e.by !== holder)
          return `the ${e.by} did a ${e.kind} at offset ${e.offset} while the ${holder} held incarnation ${incarnation}`;
      }
      return undefined;
    },
  },
  {
    name: 'exactly-once',
    description: "the ledger's entries equal the failure-free run's, entry for entry",
    check: ({ pair, reference }) => {
      const got = pair.world.ledger.contents();
      const want = reference.ledger;
      for (let i = 0; i < Math.max(got.length, want.length); i++) {
        const g = got[i] ? hash64(got[i]!) : undefined;
        if (g === want[i]) continue;
        if (g === undefined) return `the ledger has ${got.length} entries, expected ${want.length}`;
        if (want[i] === undefined) return `the ledger has ${got.length} entries, expected ${want.length} (entry ${i} is extra)`;
        return `ledger entry ${i} differs from the failure-free run's (${got.length} entries, expected ${want.length})`;
      }
      return undefined;
    },
  },
];

export interface Violation {
  readonly oracle: OracleName;
  readonly detail: string;
}

export function checkOracles(ctx: OracleContext): Violation[] {
  const out: Violation[] = [];
  for (const o of ORACLES) {
    const detail = o.check(ctx);
    if (detail !== undefined) out.push({ oracle: o.name, detail });
  }
  return out;
}
