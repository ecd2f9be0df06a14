/**
 * A growable byte store in 64 KiB pages, copy-on-write across snapshots: `freeze()` hands out the current
 * pages as an immutable `PagedView` and marks them shared, so the next write to a shared page copies that
 * one page first. A fuzzer keeps a few dozen snapshots of a world whose console or disk holds megabytes;
 * they share every page that did not change between them instead of holding a copy each.
 * A missing page (undefined) reads as zeros and costs nothing.
 */

export const STORE_PAGE_BYTES = 64 * 1024;
const SHIFT = 16;
const MASK = STORE_PAGE_BYTES - 1;

/** Immutable bytes: `length` bytes in pages (a page past the data, or undefined, reads as zeros). */
export interface PagedView {
  readonly length: number;
  readonly pages: readonly (Uint8Array | undefined)[];
}

export const EMPTY_VIEW: PagedView = Object.freeze({ length: 0, pages: Object.freeze([]) as readonly (Uint8Array | undefined)[] });

/** Copies `[from, to)` of a view (clamped to its length) into a new array. */
export function viewSlice(view: PagedView, from = 0, to = view.length): Uint8Array {
  const a = Math.max(0, Math.min(from, view.length));
  const b = Math.max(a, Math.min(to, view.length));
  const out = new Uint8Array(b - a);
  for (let at = a; at < b;) {
    const p = at >>> SHIFT;
    const off = at & MASK;
    const n = Math.min(STORE_PAGE_BYTES - off, b - at);
    const page = view.pages[p];
    if (page) out.set(page.subarray(off, off + n), at - a);
    at += n;
  }
  return out;
}

/** The first offset where two views differ (the shorter one's length when one is a prefix of the other), or -1 when equal. */
export function firstDifference(a: PagedView, b: PagedView): number {
  const n = Math.min(a.length, b.length);
  for (let p = 0; p * STORE_PAGE_BYTES < n; p++) {
    const pa = a.pages[p];
    const pb = b.pages[p];
    if (pa === pb) continue;
    const end = Math.min(STORE_PAGE_BYTES, n - p * STORE_PAGE_BYTES);
    for (let i = 0; i < end; i++) if ((pa?.[i] ?? 0) !== (pb?.[i] ?? 0)) return p * STORE_PAGE_BYTES + i;
  }
  return a.length === b.length ? -1 : n;
}

/** Distinct page buffers held by some views, in bytes: what they cost together (shared pages counted once). */
export function storedBytes(views: readonly PagedView[]): number {
  const seen = new Set<Uint8Array>();
  for (const v of views) for (const p of v.pages) if (p) seen.add(p);
  let n = 0;
  for (const p of seen) n += p.length;
  return n;
}

export class PagedBytes {
  private pages: (Uint8Array | undefined)[] = [];
  /** Pages handed out by `freeze` (or taken from a view): copied before they are written. */
  private shared = new Set<Uint8Array>();
  length = 0;

  /** A store holding a view's bytes, sharing its pages until they are written. */
  static from(view: PagedView): PagedBytes {
    const s = new PagedBytes();
    s.pages = view.pages.slice();
    for (const p of s.pages) if (p) s.shared.add(p);
    s.length = view.length;
    return s;
  }

  /** A store holding a copy of `bytes`, `length` long (zero-filled past `bytes`). */
  static of(bytes: Uint8Array, length = bytes.length): PagedBytes {
    const s = new PagedBytes();
    s.length = length;
    s.write(0, bytes.subarray(0, length));
    return s;
  }

  byteAt(at: number): number {
    return at < this.length ? (this.pages[at >>> SHIFT]?.[at & MASK] ?? 0) : 0;
  }

  /** Whether `bytes` equals the stored bytes at `at` (false when the range passes the end). */
  equals(at: number, bytes: Uint8Array): boolean {
    if (at + bytes.length > this.length) return false;
    for (let i = 0; i < bytes.length;) {
      const p = (at + i) >>> SHIFT;
      const off = (at + i) & MASK;
      const n = Math.min(STORE_PAGE_BYTES - off, bytes.length - i);
      const page = this.pages[p];
      for (let k = 0; k < n; k++) if ((page ? page[off + k]! : 0) !== bytes[i + k]) return false;
      i += n;
    }
    return true;
  }

  /** Writes `bytes` at `at`, growing the store to cover them. */
  write(at: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length;) {
      const p = (at + i) >>> SHIFT;
      const off = (at + i) & MASK;
      const n = Math.min(STORE_PAGE_BYTES - off, bytes.length - i);
      this.writable(p).set(bytes.subarray(i, i + n), off);
      i += n;
    }
    this.length = Math.max(this.length, at + bytes.length);
  }

  /** Whether the bytes equal a view's: pages shared with it (the same buffer) are equal without reading them. */
  sameAs(view: PagedView): boolean {
    return this.length === view.length && firstDifference({ length: this.length, pages: this.pages }, view) === -1;
  }

  slice(from = 0, to = this.length): Uint8Array {
    return viewSlice({ length: this.length, pages: this.pages }, from, to);
  }

  /** The bytes now, as an immutable view sharing this store's pages (which are copied before their next write). */
  freeze(): PagedView {
    for (const p of this.pages) if (p) this.shared.add(p);
    return Object.freeze({ length: this.length, pages: Object.freeze(this.pages.slice()) });
  }

  private writable(p: number): Uint8Array {
    const page = this.pages[p];
    if (page && !this.shared.has(page)) return page;
    const fresh = new Uint8Array(STORE_PAGE_BYTES);
    if (page) {
      fresh.set(page);
      this.shared.delete(page);
    }
    while (this.pages.length < p) this.pages.push(undefined);
    this.pages[p] = fresh;
    return fresh;
  }
}
