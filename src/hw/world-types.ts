/**
 * The shapes of what the world (world.ts) records and hands out: the entries of its effect log, the
 * arbiter's answers logged among them, its snapshots, a view of its console output and its JSON-ready
 * record; and the two readers of an effect log that need no world.
 */
import type { Hash64State } from '../base/hash64.js';
import type { PagedView } from './paged-bytes.js';
import type { LedgerSnapshot } from './ledger.js';

export interface Effect {
  readonly by: string;
  /** `refused`: a request of an older incarnation (spec 9), not performed; `offset` and `len` are the request's. */
  readonly kind: 'console-write' | 'disk-write' | 'ledger-append' | 'refused' | 'grant';
  /** Console and disk: the position written. Ledger: the entry's index (-1 when nothing was appended). */
  readonly offset: number;
  readonly len: number;
  /** Some or all of the bytes were already there, identical: absorbed (ledger: a sequence number already appended). */
  readonly duplicate: boolean;
  /** The write was refused (console: different bytes at a written position, or a gap; disk: past its end; ledger: a
   *  sequence number out of the window, or an entry of a bad size). */
  readonly error: boolean;
  /** Ledger: a conditional append that found another length; nothing appended (an answer, not an error). */
  readonly mismatch?: boolean;
  /** A refusal: the request's device, operation and incarnation. */
  readonly refused?: { readonly device: number; readonly op: number; readonly incarnation: number };
  /** An answer of the arbiter to `by` (not an effect): the incarnation it held and the arbiter's after the question. */
  readonly grant?: ArbiterAnswer;
}

/** What the arbiter answered a computer that asked to act as primary (ft/arbiter.ts). */
export interface ArbiterAnswer {
  readonly expected: number;
  readonly won: boolean;
  /** The asker's new incarnation if it won; the winner's if it lost. */
  readonly incarnation: number;
  readonly why: 'takeover' | 'go-on-alone';
}

/** The world at one instant. Its pages are shared with the world and with other snapshots (copy-on-write). */
export interface WorldSnapshot {
  readonly output: PagedView;
  readonly outputHash: Hash64State;
  readonly disk: PagedView;
  readonly diskWritten: Uint8Array;
  /** The effect log is append-only: a snapshot holds the live log and its length then, not a copy. Read it with `snapshotEffects`. */
  readonly effects: readonly Effect[];
  readonly effectCount: number;
  readonly duplicates: number;
  readonly ledger: LedgerSnapshot;
  readonly incarnation: number;
}

/** The writes in a world's log: every entry but the arbiter's answers (refusals count: each was a write tried). */
export function writesOf(world: { readonly effects: readonly Effect[] }): number {
  let n = 0;
  for (const e of world.effects) if (e.kind !== 'grant') n++;
  return n;
}

/** The effects a snapshot recorded. */
export function snapshotEffects(snap: WorldSnapshot): Effect[] {
  return snap.effects.slice(0, snap.effectCount);
}

/** The console output at one instant: its length, its digest, and its bytes in shared pages (no copy). */
export interface ConsoleView {
  readonly length: number;
  /** 16 hex digits: the running hash of the output (see base/hash64.ts). */
  readonly digest: string;
  readonly bytes: PagedView;
}

export interface WorldRecord {
  readonly console: string;
  readonly writes: number;
  readonly duplicates: number;
  readonly errors: number;
  readonly effects: readonly Effect[];
}
