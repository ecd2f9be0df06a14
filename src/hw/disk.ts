/**
 * The disk of the outside world (world.ts): 512-byte sectors, in memory in 64 KiB copy-on-write pages
 * (paged-bytes.ts), optionally read from a file and written through to it. It knows which sectors were
 * ever written, so that rewriting a written sector with the same bytes is a duplicate. The world logs
 * each write; the disk only performs it.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ShadowError } from '../base/errors.js';
import { HASH64_START, hash64Hex, hash64Update } from '../base/hash64.js';
import { PagedBytes, STORE_PAGE_BYTES, type PagedView } from './paged-bytes.js';
import { SECTOR, type WriteEffect } from './types.js';

export const DEFAULT_DISK_BYTES = 1 << 20;

/** A disk's starting contents: bytes (copied), or a file the disk is read from and written through to. */
export type DiskSource = Uint8Array | { readonly file: string };

const roundUp = (n: number): number => Math.ceil(n / SECTOR) * SECTOR;

export class Disk {
  private pages: PagedBytes;
  /** One byte per sector: 1 once written. */
  private written: Uint8Array;
  private readonly file: string | undefined;

  /** `bytes`: the size (rounded up to a sector); default: the contents' size, or DEFAULT_DISK_BYTES without contents. */
  constructor(source: DiskSource | undefined, bytes: number | undefined) {
    let contents: Uint8Array | undefined;
    if (source instanceof Uint8Array) contents = source;
    else if (source) {
      this.file = source.file;
      try {
        contents = new Uint8Array(readFileSync(this.file));
      } catch (err) {
        throw new ShadowError(
          'FILE',
          `cannot read disk image '${this.file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
    }
    const size = roundUp(bytes ?? (contents ? contents.length : DEFAULT_DISK_BYTES));
    this.pages = PagedBytes.of(contents ?? new Uint8Array(0), size);
    this.written = new Uint8Array(size / SECTOR);
  }

  /** Writes whole sectors: a duplicate when every sector was written before with the same bytes, an error past the end. */
  write(offset: number, bytes: Uint8Array): WriteEffect {
    const len = bytes.length;
    if (offset % SECTOR !== 0 || len % SECTOR !== 0 || offset + len > this.pages.length) return 'error';
    let same = len > 0;
    for (let s = offset / SECTOR; s < (offset + len) / SECTOR && same; s++) if (this.written[s] !== 1) same = false;
    if (same) same = this.pages.equals(offset, bytes);
    if (!same) this.pages.write(offset, bytes);
    this.written.fill(1, offset / SECTOR, (offset + len) / SECTOR);
    if (this.file !== undefined && !same) this.writeThrough(offset, bytes);
    return same ? 'duplicate' : 'written';
  }

  /** `len` bytes at `offset`; shorter (possibly empty) when the range passes the disk's end. */
  read(offset: number, len: number): Uint8Array {
    const from = Math.min(offset, this.pages.length);
    return this.pages.slice(from, Math.min(offset + len, this.pages.length));
  }

  /** The disk's contents (a copy). */
  bytes(): Uint8Array {
    return this.pages.slice();
  }

  /** The 64-bit hash of the whole disk (the same as base/hash64's `hash64(bytes())`), without copying it. */
  digest(): string {
    let h = HASH64_START;
    for (let at = 0; at < this.pages.length; at += STORE_PAGE_BYTES)
      h = hash64Update(h, this.pages.slice(at, Math.min(at + STORE_PAGE_BYTES, this.pages.length)));
    return hash64Hex(h);
  }

  /** The disk's contents now, as an immutable view sharing the disk's pages (copied before their next write). */
  view(): PagedView {
    return this.pages.freeze();
  }

  /** `digest()`, or `digest` itself when `view` holds the same bytes (shared pages are equal without reading them). */
  digestAgainst(view: PagedView, digest: string): string {
    return this.pages.sameAs(view) ? digest : this.digest();
  }

  /** Which sectors were ever written (a copy). */
  writtenSectors(): Uint8Array {
    return this.written.slice();
  }

  /** Puts back the contents of `view` and the written sectors of `written` (both kept from a snapshot), and writes them through. */
  restore(view: PagedView, written: Uint8Array): void {
    this.pages = PagedBytes.from(view);
    this.written = written.slice();
    if (this.file !== undefined) this.writeThrough(0, this.pages.slice());
  }

  private writeThrough(offset: number, bytes: Uint8Array): void {
    const fd = openSync(this.file!, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, offset);
    } finally {
      closeSync(fd);
    }
  }
}
