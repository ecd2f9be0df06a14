/**
 * Sorts an outcome into a class. The acceptable classes: a clean error (usage, data, file: with a
 * message), a guest fault (or a deadlock, or replicas that diverged), a budget (instructions, time or
 * memory ceiling reached, reported as such), or ran (the guest halted; a check's verdict). Anything else
 * fails the campaign: a host crash (an internal error, a stack trace, an abort, an exception escaping
 * `main`, an unknown status) or a run past its bounds (killed for time or memory).
 */
import { EXIT } from '../cli/exit-codes.js';
import type { Outcome } from './execute.js';

export const CLASSES = ['clean-error', 'guest-fault', 'budget', 'ran', 'known-crash', 'crash', 'overrun'] as const;
export type OutcomeClass = (typeof CLASSES)[number];

/** Classes that fail the campaign. */
export const FAILING: ReadonlySet<OutcomeClass> = new Set(['crash', 'overrun']);

export interface Verdict {
  readonly cls: OutcomeClass;
  /** Why, for failing and known classes: one line. */
  readonly why?: string;
}

export interface KnownCrash {
  readonly name: string;
  readonly matches: (o: Outcome) => boolean;
}

/**
 * Crashes already reported and owned elsewhere: counted apart, not failing the campaign, until fixed. Add an
 * entry with its issue while a fix is under way; remove it once merged. (The timer period 0xFFFFFFFF crash of
 * issue 17 was the first entry: fixed on main.)
 */
export const KNOWN_CRASHES: readonly KnownCrash[] = [];

/** A stack frame as V8 prints it: `    at fn (/path/file.js:12:34)` or `    at file:///path:1:2`. */
const STACK_FRAME = /^\s+at .*(\(|\s)(file:\/\/|node:|\/)[^\s)]*:\d+:\d+\)?$/m;

export function classify(o: Outcome, knownCrashes: readonly KnownCrash[] = KNOWN_CRASHES): Verdict {
  const known = knownCrashes.find((k) => k.matches(o));
  if (known) return { cls: 'known-crash', why: known.name };
  if (o.thrown !== undefined) return { cls: 'crash', why: `exception escaped main: ${o.thrown.split('\n')[0]}` };
  if (o.timedOut) return { cls: 'overrun', why: `ran past its time limit (${(o.ms / 1000).toFixed(1)} s)` };
  if (o.outOfMemory) return { cls: 'overrun', why: 'ran past its memory ceiling' };
  if (STACK_FRAME.test(o.stderr)) return { cls: 'crash', why: `stack trace on stderr: ${firstLine(o.stderr)}` };
  switch (o.code) {
    case EXIT.INTERNAL:
      return { cls: 'crash', why: `internal error (exit 70): ${firstLine(o.stderr)}` };
    case EXIT.USAGE:
    case EXIT.DATA:
    case EXIT.FILE:
      return o.stderr.trim() ? { cls: 'clean-error' } : { cls: 'crash', why: `exit ${o.code} with nothing on stderr` };
    case EXIT.GUEST_FAULT:
    case EXIT.DIVERGED:
      return { cls: 'guest-fault' };
    case EXIT.BUDGET:
    case EXIT.RESOURCE:
      return { cls: 'budget' };
    case EXIT.GUEST_CODE_RANGE:
      return { cls: 'ran' };
  }
  if (Number.isInteger(o.code) && o.code >= 0 && o.code <= 63) return { cls: 'ran' };
  return { cls: 'crash', why: `unexpected exit status ${o.code}: ${firstLine(o.stderr)}` };
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 200 ? line.slice(0, 200) + '...' : line;
}
