import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../../src/hw/world.js';
import { DEFAULT_DISK_BYTES } from '../../src/hw/disk.js';
import { hash64 } from '../../src/base/hash64.js';
import { storedBytes } from '../../src/hw/paged-bytes.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('the world: console output', () => {
  it('is a positional stream; a duplicate write of the same bytes is absorbed and counted', () => {
    const shown: string[] = [];
    const w = new World({ onConsole: (b, at) => shown.push(`${at}:${new TextDecoder().decode(b)}`) });
    expect(w.consoleWrite(0, bytes('hello '), 'primary')).toBe('written');
    expect(w.consoleWrite(6, bytes('world'), 'primary')).toBe('written');
    expect(w.consoleWrite(0, bytes('hello '), 'backup')).toBe('duplicate');
    expect(w.consoleWrite(3, bytes('lo wo'), 'backup')).toBe('duplicate');
    expect(w.consoleText()).toBe('hello world');
    expect(w.duplicates).toBe(2);
    expect(shown).toEqual(['0:hello ', '6:world']);
    expect(w.effects).toEqual([
      { by: 'primary', kind: 'console-write', offset: 0, len: 6, duplicate: false, error: false },
      { by: 'primary', kind: 'console-write', offset: 6, len: 5, duplicate: false, error: false },
      { by: 'backup', kind: 'console-write', offset: 0, len: 6, duplicate: true, error: false },
      { by: 'backup', kind: 'console-write', offset: 3, len: 5, duplicate: true, error: false },
    ]);
  });

  it('a write overlapping the end shows only its new bytes', () => {
    const shown: string[] = [];
    const w = new World({ onConsole: (b) => shown.push(new TextDecoder().decode(b)) });
    w.consoleWrite(0, bytes('abc'), 'p');
    expect(w.consoleWrite(1, bytes('bcde'), 'p')).toBe('written');
    expect(w.consoleText()).toBe('abcde');
    expect(shown).toEqual(['abc', 'de']);
    expect(w.effects[1]!.duplicate).toBe(true);
  });

  it('different bytes at a written position, or a gap, is an error and changes nothing', () => {
    const w = new World();
    w.consoleWrite(0, bytes('abc'), 'p');
    expect(w.consoleWrite(1, bytes('X'), 'b')).toBe('error');
    expect(w.consoleWrite(4, bytes('d'), 'b')).toBe('error');
    expect(w.consoleText()).toBe('abc');
    expect(w.effects.filter((e) => e.error)).toHaveLength(2);
    expect(w.record()).toMatchObject({ console: 'abc', writes: 3, duplicates: 0, errors: 2 });
  });

  it('grows past its first buffer', () => {
    const w = new World();
    const big = new Uint8Array(10_000).fill(65);
    w.consoleWrite(0, big, 'p');
    w.consoleWrite(10_000, bytes('!'), 'p');
    expect(w.consoleBytes().length).toBe(10_001);
  });
});

describe('the world: console input and disk', () => {
  it('console input is read by position, shorter at its end', () => {
    const w = new World({ input: 'abcdef' });
    expect(new TextDecoder().decode(w.consoleRead(2, 3))).toBe('cde');
    expect(new TextDecoder().decode(w.consoleRead(4, 10))).toBe('ef');
    expect(w.consoleRead(6, 4).length).toBe(0);
    expect(w.consoleRead(100, 4).length).toBe(0);
  });

  it('disk: sectors, duplicates of identical rewrites, errors past the end or off a sector', () => {
    const w = new World({ diskBytes: 2048 });
    expect(w.diskBytes().length).toBe(2048);
    const sector = new Uint8Array(512).fill(7);
    expect(w.diskWrite(512, sector, 'p')).toBe('written');
    expect(w.diskWrite(512, sector, 'b')).toBe('duplicate');
    expect(w.diskWrite(512, new Uint8Array(512).fill(8), 'b')).toBe('written');
    expect(w.diskWrite(0, new Uint8Array(512), 'p')).toBe('written'); // zeros over never-written zeros: a first write
    expect(w.diskWrite(1536, new Uint8Array(1024), 'p')).toBe('error');
    expect(w.diskWrite(100, new Uint8Array(512), 'p')).toBe('error');
    expect(w.diskRead(512, 512)[0]).toBe(8);
    expect(w.diskRead(1536, 1024).length).toBe(512);
    expect(w.duplicates).toBe(1);
    expect(new World().diskBytes().length).toBe(DEFAULT_DISK_BYTES);
    expect(new World({ disk: Uint8Array.of(1, 2, 3) }).diskBytes().length).toBe(512);
  });

  it('snapshot and restore put everything back, in place', () => {
    const w = new World({ input: 'in', diskBytes: 1024 });
    w.consoleWrite(0, bytes('one'), 'p');
    w.diskWrite(0, new Uint8Array(512).fill(1), 'p');
    const snap = w.snapshot();
    w.consoleWrite(3, bytes('two'), 'p');
    w.diskWrite(0, new Uint8Array(512).fill(2), 'p');
    w.consoleWrite(0, bytes('one'), 'b');
    w.restore(snap);
    expect(w.consoleText()).toBe('one');
    expect(w.diskRead(0, 1)[0]).toBe(1);
    expect(w.effects).toHaveLength(2);
    expect(w.duplicates).toBe(0);
    expect(w.consoleWrite(3, bytes('2'), 'p')).toBe('written');
    w.restore(snap);
    expect(w.effects.map((e) => e.len)).toEqual([3, 512]);
  });
});

describe('the world: memory', () => {
  it('the console digest is the hash of the whole output, however it was written, and duplicates leave it', () => {
    const a = new World();
    const b = new World();
    a.consoleWrite(0, bytes('hello, world'), 'p');
    b.consoleWrite(0, bytes('hel'), 'p');
    b.consoleWrite(3, bytes('lo, world'), 'p');
    b.consoleWrite(0, bytes('hello'), 'q');
    expect(a.consoleDigest()).toBe(hash64(bytes('hello, world')));
    expect(b.consoleDigest()).toBe(a.consoleDigest());
    expect(b.consoleLength).toBe(12);
    b.consoleWrite(12, bytes('!'), 'p');
    expect(b.consoleDigest()).not.toBe(a.consoleDigest());
    expect(new World().diskDigest()).toBe(hash64(new Uint8Array(DEFAULT_DISK_BYTES)));
  });

  it('snapshots of a world with 8 MiB of console and a 4 MiB disk share their pages: each costs only what changed', () => {
    const w = new World({ diskBytes: 4 << 20 });
    const big = new Uint8Array(8 << 20).map((_, i) => (i * 31) & 0xff);
    w.consoleWrite(0, big, 'p');
    w.diskWrite(0, big.subarray(0, 4 << 20), 'p');
    const snaps = [w.snapshot()];
    for (let i = 0; i < 20; i++) {
      w.consoleWrite(big.length + i, bytes('x'), 'p');
      w.diskWrite(512 * i, new Uint8Array(512).fill(i), 'p');
      snaps.push(w.snapshot());
    }
    // 8 MiB + 4 MiB once, plus at most one 64 KiB page of each per snapshot.
    expect(storedBytes(snaps.flatMap((s) => [s.output, s.disk]))).toBeLessThanOrEqual((12 << 20) + 20 * 2 * 65536);
    w.restore(snaps[0]!);
    expect(w.consoleLength).toBe(big.length);
    expect(Buffer.compare(w.consoleBytes(), big)).toBe(0);
    expect(Buffer.compare(w.diskRead(0, 512), big.subarray(0, 512))).toBe(0);
    w.restore(snaps[20]!);
    expect(w.consoleLength).toBe(big.length + 20);
    expect(w.diskRead(512 * 19, 1)[0]).toBe(19);
    // Writing after a restore never reaches the snapshot it came from.
    w.diskWrite(0, new Uint8Array(512).fill(0xee), 'p');
    w.restore(snaps[20]!);
    expect(w.diskRead(0, 1)[0]).toBe(0);
  });

  it('console output past its bound is a RESOURCE error, and the write changes nothing', () => {
    const w = new World({ maxConsoleBytes: 10 });
    w.consoleWrite(0, bytes('12345678'), 'primary');
    expect(w.consoleWrite(0, bytes('1234567890'), 'backup')).toBe('written');
    expect(() => w.consoleWrite(9, bytes('0ab'), 'primary')).toThrow(
      'console output past its bound of 10 bytes: a 3-byte write at offset 9 by the primary (the bound is DEFAULTS.consoleMaxMiB)',
    );
    expect(w.consoleLength).toBe(10);
    expect(w.effects.length).toBe(2);
  });

  it('a 15 MiB write is kept once, and its duplicate is checked byte for byte', () => {
    const w = new World();
    const big = new Uint8Array(15 << 20).fill(0x41);
    expect(w.consoleWrite(0, big, 'primary')).toBe('written');
    const other = big.slice();
    other[other.length - 1] = 0x42;
    expect(w.consoleWrite(0, other, 'backup')).toBe('error');
    expect(w.consoleWrite(0, big, 'backup')).toBe('duplicate');
    expect(w.effects.map((e) => [e.len, e.duplicate, e.error])).toEqual([
      [15 << 20, false, false],
      [15 << 20, false, true],
      [15 << 20, true, false],
    ]);
    expect(storedBytes([w.consoleView().bytes])).toBe(15 << 20);
  });
});

describe('the world: a disk backed by a file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the file and writes through to it', () => {
    dir = mkdtempSync(join(tmpdir(), 'shadowvm-world-'));
    const file = join(dir, 'disk.img');
    writeFileSync(file, new Uint8Array(1024).fill(3));
    const w = new World({ disk: { file } });
    expect(w.diskRead(0, 4)).toEqual(Uint8Array.of(3, 3, 3, 3));
    w.diskWrite(512, new Uint8Array(512).fill(9), 'p');
    const onDisk = readFileSync(file);
    expect(onDisk[511]).toBe(3);
    expect(onDisk[512]).toBe(9);
  });

  it('a missing file is a FILE error', () => {
    expect(() => new World({ disk: { file: '/nonexistent/disk.img' } })).toThrow("cannot read disk image '/nonexistent/disk.img': ENOENT");
  });
});

describe('the world: a disk digest against another disk', () => {
  it("is the other disk's digest when the bytes are the same (shared pages or equal ones), and the disk's own otherwise", () => {
    const w = new World({ diskBytes: 4 * 65536 });
    w.diskWrite(70_000 - (70_000 % 512), new Uint8Array(512).fill(3), 'p');
    const view = w.diskView();
    const digest = w.diskDigest();
    const later = new World({ diskBytes: 4 * 65536 });
    later.restore(w.snapshot()); // shares every page with `view`
    expect(later.diskDigestAgainst(view, 'told')).toBe('told');
    later.diskWrite(0, new Uint8Array(512), 'p'); // the same bytes, in a page it now owns
    expect(later.diskDigestAgainst(view, 'told')).toBe('told');
    later.diskWrite(0, new Uint8Array(512).fill(1), 'p');
    expect(later.diskDigestAgainst(view, digest)).toBe(later.diskDigest());
    expect(later.diskDigest()).not.toBe(digest);
  });
});
