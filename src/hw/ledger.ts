/**
 * Device 2, the ledger (spec section 10): an append-only log of entries shared by every computer of a group,
 * like the disk. Unlike the console and the disk it is not positional, so a blind reissue appends twice.
 * Three kinds of append:
 *  - plain (producer id 0): always appends; the result is the new entry's index;
 *  - exactly-once (producer id P, sequence number N): the ledger keeps P's last sequence S and the entry
 *    index of each of P's last 8 appends. N = S + 1 appends; N in S-7..S is a duplicate, absorbed, whose
 *    result is the index that sequence's first append got; any other N is refused;
 *  - conditional (producer id 0xFFFFFFFF, N = the length the guest expects): appends only while the ledger
 *    holds exactly N entries; otherwise nothing is appended and the result is the current length.
 * The state is plain data. The entry list is append-only and its buffers immutable, so a snapshot shares it
 * by length (as the world's effect log does) and copies only the producers' windows.
 */

/** Largest entry, in bytes. */
export const LEDGER_MAX_ENTRY = 4096;
/** How many of a producer's last appends the ledger remembers (their sequence numbers and indices). */
export const LEDGER_WINDOW = 8;
/** The producer id of a conditional append. */
export const CONDITIONAL_PRODUCER = 0xffffffff;

/** One producer's memory: its last sequence number and the indices of its last LEDGER_WINDOW appends (oldest first). */
export interface ProducerWindow {
  readonly last: number;
  readonly indices: readonly number[];
}

/** The outcome of one append. */
export type LedgerAppend =
  | { readonly kind: 'appended'; readonly index: number }
  /** Exactly-once: a sequence already appended, absorbed; `index` is where its first append went. */
  | { readonly kind: 'duplicate'; readonly index: number }
  /** Conditional: the ledger did not hold the expected number of entries; `length` is how many it holds. */
  | { readonly kind: 'mismatch'; readonly length: number }
  /** Exactly-once: a sequence number neither next nor among the last LEDGER_WINDOW; or an entry of a bad size. */
  | { readonly kind: 'refused'; readonly why: string };

export interface LedgerSnapshot {
  /** Shared with the live ledger: read only the first `count`. */
  readonly entries: readonly Uint8Array[];
  readonly count: number;
  readonly producers: Readonly<Record<number, ProducerWindow>>;
}

export class Ledger {
  /** Append-only (snapshots share it by length): never remove or change an entry. */
  private entries: Uint8Array[] = [];
  private producers = new Map<number, ProducerWindow>();

  get length(): number {
    return this.entries.length;
  }

  /** Entry `index` (not a copy: never modify it), or undefined past the end. */
  entry(index: number): Uint8Array | undefined {
    return Number.isSafeInteger(index) && index >= 0 ? this.entries[index] : undefined;
  }

  /** Appends `bytes` (copied) as `producer`'s append number `seq` (both 0 for a plain append). */
  append(bytes: Uint8Array, producer: number, seq: number): LedgerAppend {
    if (bytes.length < 1 || bytes.length > LEDGER_MAX_ENTRY) {
      return { kind: 'refused', why: `an entry is 1 to ${LEDGER_MAX_ENTRY} bytes, got ${bytes.length}` };
    }
    if (producer === CONDITIONAL_PRODUCER) {
      return seq === this.entries.length ? this.push(bytes) : { kind: 'mismatch', length: this.entries.length };
    }
    if (producer === 0) return this.push(bytes);
    const w = this.producers.get(producer) ?? { last: 0, indices: [] };
    if (seq === w.last + 1) {
      const done = this.push(bytes);
      this.producers.set(producer, { last: seq, indices: [...w.indices, done.index].slice(-LEDGER_WINDOW) });
      return done;
    }
    const back = w.last - seq; // 0 for the last append, up to LEDGER_WINDOW - 1
    if (seq >= 1 && back >= 0 && back < w.indices.length) return { kind: 'duplicate', index: w.indices[w.indices.length - 1 - back]! };
    return { kind: 'refused', why: `producer ${producer >>> 0}: sequence ${seq >>> 0} after ${w.last}` };
  }

  private push(bytes: Uint8Array): { kind: 'appended'; index: number } {
    this.entries.push(bytes.slice());
    return { kind: 'appended', index: this.entries.length - 1 };
  }

  /** Every entry, for comparisons (not copies). */
  contents(): readonly Uint8Array[] {
    return this.entries;
  }

  snapshot(): LedgerSnapshot {
    return { entries: this.entries, count: this.entries.length, producers: Object.fromEntries(this.producers) };
  }

  restore(snap: LedgerSnapshot): void {
    this.entries = snap.entries.slice(0, snap.count);
    this.producers = new Map(Object.entries(snap.producers).map(([k, v]) => [Number(k), v]));
  }
}
