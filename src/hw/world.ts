/**
 * The outside world, shared by both computers of a pair, and the one recorder of every effect on it:
 *  - console output: a positional byte stream. A write at a position already written with the same bytes
 *    is a duplicate, absorbed and counted, never shown twice; different bytes there, or a gap, is an error;
 *  - console input: a fixed byte stream, read by position;
 *  - disk: 512-byte sectors, in memory, optionally written through to a file (disk.ts);
 *  - the ledger (device 2, ledger.ts): an append-only log of entries, not positional;
 *  - an ordered log of every write `{ by, kind, offset, len, duplicate, error }`: positions and lengths,
 *    never the bytes. A ledger append's offset is the entry's index (-1 when nothing was appended). The
 *    arbiter's answers (`grant`) are in the same log, so that who held the arbiter at each effect is read
 *    from the log alone (spec 9's single-primary).
 * Reads are not effects and are not logged. The shapes of the log, of snapshots and of views are in world-types.ts.
 *
 * Memory: the console output and the disk are kept once, in 64 KiB copy-on-write pages (paged-bytes.ts),
 * so snapshots share every page that did not change. The console also keeps a running 64-bit hash
 * (`consoleDigest`), so that a checker compares two outputs of many megabytes by their digests and
 * lengths, and never turns them into strings or copies.
 */
import { ShadowError } from '../base/errors.js';
import { DEFAULTS } from '../base/defaults.js';
import { HASH64_START, hash64Hex, hash64Update, type Hash64State } from '../base/hash64.js';
import { PagedBytes, type PagedView } from './paged-bytes.js';
import type { IoOp, LedgerEffect, WorldPort, WriteEffect } from './types.js';
import { Ledger } from './ledger.js';
import { Disk, type DiskSource } from './disk.js';
import { snapshotEffects, type ArbiterAnswer, type ConsoleView, type Effect, type WorldRecord, type WorldSnapshot } from './world-types.js';

export interface WorldOptions {
  /** Console input stream. */
  readonly input?: Uint8Array | string;
  /** Disk contents (copied), or a file the disk is read from and written through to. */
  readonly disk?: DiskSource;
  /** Disk size in bytes (rounded up to a sector); default: the contents' size, or 1 MiB without contents. */
  readonly diskBytes?: number;
  /** Told of every byte range of console output the first time it is written (for streaming to stdout). */
  readonly onConsole?: (bytes: Uint8Array, offset: number) => void;
  /** Console output kept at most, in bytes (default DEFAULTS.consoleMaxMiB MiB); a write past it throws a RESOURCE error. */
  readonly maxConsoleBytes?: number;
}

export class World implements WorldPort {
  readonly input: Uint8Array;
  private output = new PagedBytes();
  private outHash: Hash64State = HASH64_START;
  private readonly disk: Disk;
  /** Append-only (snapshots share it by length): never remove or change an entry. */
  effects: Effect[] = [];
  /** Writes that were wholly or partly absorbed as duplicates. */
  duplicates = 0;
  /** Device 2, shared like the disk. */
  readonly ledger = new Ledger();
  /** The oldest incarnation the devices accept: raised by the arbiter (ft/arbiter.ts) for each winner. */
  incarnation = 0;
  onConsole: ((bytes: Uint8Array, offset: number) => void) | undefined;
  private readonly maxConsoleBytes: number;

  constructor(opts: WorldOptions = {}) {
    this.input = typeof opts.input === 'string' ? new TextEncoder().encode(opts.input) : (opts.input?.slice() ?? new Uint8Array(0));
    this.disk = new Disk(opts.disk, opts.diskBytes);
    this.onConsole = opts.onConsole;
    this.maxConsoleBytes = opts.maxConsoleBytes ?? DEFAULTS.consoleMaxMiB * 1024 * 1024;
  }

  consoleWrite(offset: number, bytes: Uint8Array, by: string): WriteEffect {
    const len = bytes.length;
    const log = (duplicate: boolean, error: boolean): void => {
      this.effects.push({ by, kind: 'console-write', offset, len, duplicate, error });
      if (duplicate) this.duplicates++;
    };
    const outLen = this.output.length;
    if (offset > outLen) {
      log(false, true);
      return 'error';
    }
    const overlap = Math.min(len, outLen - offset);
    if (!this.output.equals(offset, bytes.subarray(0, overlap))) {
      log(false, true);
      return 'error';
    }
    const fresh = bytes.subarray(overlap);
    if (outLen + fresh.length > this.maxConsoleBytes) {
      throw new ShadowError(
        'RESOURCE',
        `console output past its bound of ${this.maxConsoleBytes} bytes: a ${len}-byte write at offset ${offset} by the ${by} (the bound is DEFAULTS.consoleMaxMiB)`,
      );
    }
    if (fresh.length > 0) {
      this.output.write(outLen, fresh);
      this.outHash = hash64Update(this.outHash, fresh);
      this.onConsole?.(fresh.slice(), outLen);
    }
    log(overlap > 0, false);
    return overlap > 0 && fresh.length === 0 ? 'duplicate' : 'written';
  }

  consoleRead(offset: number, len: number): Uint8Array {
    return this.input.slice(Math.min(offset, this.input.length), Math.min(offset + len, this.input.length));
  }

  diskWrite(offset: number, bytes: Uint8Array, by: string): WriteEffect {
    const result = this.disk.write(offset, bytes);
    this.effects.push({ by, kind: 'disk-write', offset, len: bytes.length, duplicate: result === 'duplicate', error: result === 'error' });
    if (result === 'duplicate') this.duplicates++;
    return result;
  }

  /** `len` bytes at `offset`; shorter (possibly empty) when the range passes the disk's end. */
  diskRead(offset: number, len: number): Uint8Array {
    return this.disk.read(offset, len);
  }

  ledgerAppend(bytes: Uint8Array, producer: number, seq: number, by: string): LedgerEffect {
    const r = this.ledger.append(bytes, producer, seq);
    const index = r.kind === 'appended' || r.kind === 'duplicate' ? r.index : -1;
    const duplicate = r.kind === 'duplicate';
    const mismatch = r.kind === 'mismatch';
    this.effects.push({
      by,
      kind: 'ledger-append',
      offset: index,
      len: bytes.length,
      duplicate,
      error: r.kind === 'refused',
      ...(mismatch ? { mismatch } : {}),
    });
    if (duplicate) this.duplicates++;
    return r.kind === 'refused' ? { kind: 'refused' } : r;
  }

  refuse(op: IoOp, incarnation: number, by: string): void {
    this.effects.push({
      by,
      kind: 'refused',
      offset: op.offset,
      len: op.len,
      duplicate: false,
      error: false,
      refused: { device: op.device, op: op.op, incarnation },
    });
  }

  /** Logs the arbiter's answer to `by` between the effects it orders; `offset` is the incarnation it answered with. */
  grant(by: string, answer: ArbiterAnswer): void {
    this.effects.push({ by, kind: 'grant', offset: answer.incarnation, len: 0, duplicate: false, error: false, grant: answer });
  }

  ledgerEntry(index: number): Uint8Array | undefined {
    return this.ledger.entry(index);
  }

  get ledgerLength(): number {
    return this.ledger.length;
  }

  /** The console output (a copy). */
  consoleBytes(): Uint8Array {
    return this.output.slice();
  }

  /** Console output as UTF-8 text. */
  consoleText(): string {
    return new TextDecoder().decode(this.output.slice());
  }

  /** Bytes of console output so far. */
  get consoleLength(): number {
    return this.output.length;
  }

  /** The running 64-bit hash of the console output (16 hex digits); equal outputs have equal digests. */
  consoleDigest(): string {
    return hash64Hex(this.outHash);
  }

  /** The console output now, without copying it: later writes do not change the view. */
  consoleView(): ConsoleView {
    return { length: this.output.length, digest: this.consoleDigest(), bytes: this.output.freeze() };
  }

  /** The disk's contents (a copy). */
  diskBytes(): Uint8Array {
    return this.disk.bytes();
  }

  /** The 64-bit hash of the whole disk (the same as base/hash64's `hash64(diskBytes())`), without copying it. */
  diskDigest(): string {
    return this.disk.digest();
  }

  /** The disk's contents now, as an immutable view sharing the disk's pages (copied before their next write). */
  diskView(): PagedView {
    return this.disk.view();
  }

  /**
   * `diskDigest()`, given another disk's view and digest: when the two disks hold the same bytes, that
   * digest, found by comparing pages (shared copy-on-write pages are equal without reading them) instead of
   * hashing the whole disk. A fuzz case starts from a snapshot of the failure-free run and usually ends with
   * its disk, most of whose pages it never wrote.
   */
  diskDigestAgainst(view: PagedView, digest: string): string {
    return this.disk.digestAgainst(view, digest);
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

  /** The world now. Shares pages with the world (copy-on-write), so a snapshot costs only the pages written after it. */
  snapshot(): WorldSnapshot {
    return {
      output: this.output.freeze(),
      outputHash: this.outHash,
      disk: this.disk.view(),
      diskWritten: this.disk.writtenSectors(),
      effects: this.effects,
      effectCount: this.effects.length,
      duplicates: this.duplicates,
      ledger: this.ledger.snapshot(),
      incarnation: this.incarnation,
    };
  }

  /** Puts the world back as it was at `snap` (in place: computers holding this port keep it). The input stays. */
  restore(snap: WorldSnapshot): void {
    this.output = PagedBytes.from(snap.output);
    this.outHash = snap.outputHash;
    this.effects = snapshotEffects(snap);
    this.duplicates = snap.duplicates;
    this.ledger.restore(snap.ledger);
    this.incarnation = snap.incarnation;
    this.disk.restore(snap.disk, snap.diskWritten);
  }
}
