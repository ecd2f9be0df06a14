/**
 * The outside world, shared by both computers of a pair, and the one recorder of every effect on it:
 *  - console output: a positional byte stream. A write at a position already written with the same bytes
 *    is a duplicate, absorbed and counted, never shown twice; different bytes there, or a gap, is an error;
 *  - console input: a fixed byte stream, read by position;
 *  - disk: 512-byte sectors, in memory, optionally written through to a file;
 *  - an ordered log of every write `{ by, kind, offset, len, duplicate, error }`.
 * Reads are not effects and are not logged.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ShadowError } from '../base/errors.js';
import { SECTOR, type WorldPort, type WriteEffect } from './types.js';

export const DEFAULT_DISK_BYTES = 1 << 20;

export interface WorldOptions {
  /** Console input stream. */
  readonly input?: Uint8Array | string;
  /** Disk contents (copied), or a file the disk is read from and written through to. */
  readonly disk?: Uint8Array | { readonly file: string };
  /** Disk size in bytes (rounded up to a sector); default: the contents' size, or 1 MiB without contents. */
  readonly diskBytes?: number;
  /** Told of every byte range of console output the first time it is written (for streaming to stdout). */
  readonly onConsole?: (bytes: Uint8Array, offset: number) => void;
}

export interface Effect {
  readonly by: string;
  readonly kind: 'console-write' | 'disk-write';
  readonly offset: number;
  readonly len: number;
  /** Some or all of the bytes were already there, identical: absorbed. */
  readonly duplicate: boolean;
  /** The write was refused (console: different bytes at a written position, or a gap; disk: past its end). */
  readonly error: boolean;
}

export interface WorldSnapshot {
  readonly input: Uint8Array;
  readonly output: Uint8Array;
  readonly disk: Uint8Array;
  readonly diskWritten: Uint8Array;
  readonly effects: readonly Effect[];
  readonly duplicates: number;
}

export interface WorldRecord {
  readonly console: string;
  readonly writes: number;
  readonly duplicates: number;
  readonly errors: number;
  readonly effects: readonly Effect[];
}

const roundUp = (n: number): number => Math.ceil(n / SECTOR) * SECTOR;

export class World implements WorldPort {
  readonly input: Uint8Array;
  private output = new Uint8Array(256);
  private outLen = 0;
  private disk: Uint8Array;
  /** One byte per sector: 1 once written. */
  private diskWritten: Uint8Array;
  private readonly diskFile: string | undefined;
  effects: Effect[] = [];
  /** Writes that were wholly or partly absorbed as duplicates. */
  duplicates = 0;
  onConsole: ((bytes: Uint8Array, offset: number) => void) | undefined;

  constructor(opts: WorldOptions = {}) {
    this.input = typeof opts.input === 'string' ? new TextEncoder().encode(opts.input) : (opts.input?.slice() ?? new Uint8Array(0));
    let contents: Uint8Array | undefined;
    if (opts.disk instanceof Uint8Array) contents = opts.disk;
    else if (opts.disk) {
      this.diskFile = opts.disk.file;
      try {
        contents = new Uint8Array(readFileSync(this.diskFile));
      } catch (err) {
        throw new ShadowError('FILE', `cannot read disk image '${this.diskFile}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    const size = roundUp(opts.diskBytes ?? (contents ? contents.length : DEFAULT_DISK_BYTES));
    this.disk = new Uint8Array(size);
    if (contents) this.disk.set(contents.subarray(0, size));
    this.diskWritten = new Uint8Array(size / SECTOR);
    this.onConsole = opts.onConsole;
  }

  consoleWrite(offset: number, bytes: Uint8Array, by: string): WriteEffect {
    const len = bytes.length;
    const log = (duplicate: boolean, error: boolean): void => {
      this.effects.push({ by, kind: 'console-write', offset, len, duplicate, error });
      if (duplicate) this.duplicates++;
    };
    if (offset > this.outLen) {
      log(false, true);
      return 'error';
    }
    const overlap = Math.min(len, this.outLen - offset);
    for (let i = 0; i < overlap; i++) {
      if (this.output[offset + i] !== bytes[i]) {
        log(false, true);
        return 'error';
      }
    }
    const fresh = bytes.subarray(overlap);
    if (fresh.length > 0) {
      this.grow(this.outLen + fresh.length);
      this.output.set(fresh, this.outLen);
      const at = this.outLen;
      this.outLen += fresh.length;
      this.onConsole?.(fresh.slice(), at);
    }
    log(overlap > 0, false);
    return overlap > 0 && fresh.length === 0 ? 'duplicate' : 'written';
  }

  consoleRead(offset: number, len: number): Uint8Array {
    return this.input.slice(Math.min(offset, this.input.length), Math.min(offset + len, this.input.length));
  }

  diskWrite(offset: number, bytes: Uint8Array, by: string): WriteEffect {
    const len = bytes.length;
    if (offset % SECTOR !== 0 || len % SECTOR !== 0 || offset + len > this.disk.length) {
      this.effects.push({ by, kind: 'disk-write', offset, len, duplicate: false, error: true });
      return 'error';
    }
    let same = len > 0;
    for (let s = offset / SECTOR; s < (offset + len) / SECTOR && same; s++) if (this.diskWritten[s] !== 1) same = false;
    for (let i = 0; i < len && same; i++) if (this.disk[offset + i] !== bytes[i]) same = false;
    this.disk.set(bytes, offset);
    this.diskWritten.fill(1, offset / SECTOR, (offset + len) / SECTOR);
    if (this.diskFile !== undefined && !same) this.writeThrough(offset, bytes);
    this.effects.push({ by, kind: 'disk-write', offset, len, duplicate: same, error: false });
    if (same) this.duplicates++;
    return same ? 'duplicate' : 'written';
  }

  /** `len` bytes at `offset`; shorter (possibly empty) when the range passes the disk's end. */
  diskRead(offset: number, len: number): Uint8Array {
    const from = Math.min(offset, this.disk.length);
    return this.disk.slice(from, Math.min(offset + len, this.disk.length));
  }

  consoleBytes(): Uint8Array {
    return this.output.slice(0, this.outLen);
  }

  /** Console output as UTF-8 text. */
  consoleText(): string {
    return new TextDecoder().decode(this.output.subarray(0, this.outLen));
  }

  diskBytes(): Uint8Array {
    return this.disk.slice();
  }

  /** A JSON-ready summary of what happened to the world: its console text, the effect log and its counts. */
  record(): WorldRecord {
    return {
      console: this.consoleText(),
      writes: this.effects.length,
      duplicates: this.duplicates,
      errors: this.effects.filter((e) => e.error).length,
      effects: this.effects.slice(),
    };
  }

  snapshot(): WorldSnapshot {
    return {
      input: this.input.slice(),
      output: this.consoleBytes(),
      disk: this.disk.slice(),
      diskWritten: this.diskWritten.slice(),
      effects: this.effects.slice(),
      duplicates: this.duplicates,
    };
  }

  /** Puts the world back as it was at `snap` (in place: computers holding this port keep it). */
  restore(snap: WorldSnapshot): void {
    this.output = new Uint8Array(Math.max(256, snap.output.length));
    this.output.set(snap.output);
    this.outLen = snap.output.length;
    this.disk = snap.disk.slice();
    this.diskWritten = snap.diskWritten.slice();
    this.effects = snap.effects.slice();
    this.duplicates = snap.duplicates;
    if (this.diskFile !== undefined) this.writeThrough(0, this.disk);
  }

  private grow(n: number): void {
    if (n <= this.output.length) return;
    const next = new Uint8Array(Math.max(n, this.output.length * 2));
    next.set(this.output.subarray(0, this.outLen));
    this.output = next;
  }

  private writeThrough(offset: number, bytes: Uint8Array): void {
    const fd = openSync(this.diskFile!, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, offset);
    } finally {
      closeSync(fd);
    }
  }
}
