/**
 * The CLI's exit statuses: one table, documented in the README and in `shadowvm help exit-codes`.
 * A guest's own halt code uses 0..63 (passed through by `run` and `pair` unless `--exit-code-from status`);
 * every outcome of the host has its own status at 64 and above (after BSD's sysexits), so the two never collide.
 * `1` is the verdict of the commands that check something (`fuzz`, `demo`): a check failed.
 */
import type { ErrorCode } from '../base/errors.js';

export const EXIT = Object.freeze({
  /** Success; for `run` and `pair`, the guest halted with code 0. */
  OK: 0,
  /** A check failed: `fuzz` found a violation, `demo`'s guest did not survive its failover. */
  VERDICT: 1,
  /** Bad command-line usage: an unknown command or flag, a bad flag value, a missing argument (EX_USAGE). */
  USAGE: 64,
  /** Bad input data: an assembly error, a malformed ELF or flat binary, an invalid configuration (EX_DATAERR). */
  DATA: 65,
  /** An input file is missing or unreadable, or an output file cannot be written (EX_NOINPUT). */
  FILE: 66,
  /** `--exit-code-from guest`: the guest halted with a code outside 0..63 (the code itself is in the output). */
  GUEST_CODE_RANGE: 67,
  /** The guest stopped on a fault it could not handle, or deadlocked (waits for an interrupt nothing can raise). */
  GUEST_FAULT: 68,
  /** The instruction budget or the wall-clock `--timeout` ran out before the guest halted. */
  BUDGET: 69,
  /** A bug in shadowvm itself (EX_SOFTWARE): please report it with the command line. */
  INTERNAL: 70,
  /** A run exceeded its memory ceiling. */
  RESOURCE: 71,
  /** `pair`: the replicas' state digests differed at an epoch end (a nondeterministic guest or a monitor bug). */
  DIVERGED: 72,
});

/** How a run that did not halt stopped, as `run` and `pair` report it. */
export type StopKind = 'fault' | 'deadlock' | 'budget' | 'timeout' | 'diverged';

export function exitForStop(stop: StopKind): number {
  switch (stop) {
    case 'fault':
    case 'deadlock':
      return EXIT.GUEST_FAULT;
    case 'budget':
    case 'timeout':
      return EXIT.BUDGET;
    case 'diverged':
      return EXIT.DIVERGED;
  }
}

/** The `--exit-code-from` option shared by `run` and `pair`. */
export const EXIT_CODE_FROM_OPTION = {
  type: 'string',
  valueName: 'guest|status',
  description: "exit with the guest's halt code (guest, the default) or with 0 whenever the guest halted (status)",
} as const;

/** The largest guest halt code that `run` and `pair` pass through as their own exit status. */
export const GUEST_CODE_MAX = 63;

export const EXIT_FOR_ERROR: Record<ErrorCode, number> = {
  ASM: EXIT.DATA,
  ELF: EXIT.DATA,
  LINK: EXIT.DATA,
  CONFIG: EXIT.DATA,
  USAGE: EXIT.USAGE,
  FILE: EXIT.FILE,
  RESOURCE: EXIT.RESOURCE,
};

/** The exit status of a guest that halted with `code`, under `--exit-code-from guest|status`. */
export function exitForHalt(code: number, from: 'guest' | 'status'): number {
  if (from === 'status') return EXIT.OK;
  return Number.isInteger(code) && code >= 0 && code <= GUEST_CODE_MAX ? code : EXIT.GUEST_CODE_RANGE;
}

/** The table as `shadowvm help exit-codes` and the README show it. */
export const EXIT_TABLE: readonly (readonly [string, string])[] = [
  ['0', 'success; for run and pair, the guest halted with code 0'],
  ['1..63', 'run and pair: the guest halted with this code (--exit-code-from guest, the default)'],
  ['1', 'fuzz: a violation was found; demo: the guest did not survive the failover'],
  [String(EXIT.USAGE), 'bad usage: unknown command or flag, bad flag value, missing argument'],
  [String(EXIT.DATA), 'bad input data: assembly error, malformed ELF or binary, invalid configuration'],
  [String(EXIT.FILE), 'a file is missing or unreadable, or an output cannot be written'],
  [String(EXIT.GUEST_CODE_RANGE), 'the guest halted with a code outside 0..63 (its code is printed and in --json)'],
  [String(EXIT.GUEST_FAULT), 'the guest stopped on a fault it could not handle, or deadlocked'],
  [String(EXIT.BUDGET), 'the instruction budget or --timeout ran out'],
  [String(EXIT.INTERNAL), 'internal error in shadowvm (a bug: please report the command line)'],
  [String(EXIT.RESOURCE), 'a run exceeded its memory ceiling'],
  [String(EXIT.DIVERGED), "pair: the replicas' state digests differed at an epoch end"],
];
