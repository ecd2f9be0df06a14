/**
 * RAM as a snapshot keeps it: only the pages holding a non-zero byte, and each of those shared with an
 * earlier image whose page at the same index holds the same bytes. A guest touches a few hundred KiB of
 * its 16 MiB, and between two snapshots of a run it changes fewer still, so the snapshots of a run cost
 * about one copy of what the guest uses plus what changed, instead of one copy each. Restoring one is a
 * fresh (zeroed) buffer plus those pages. Images are immutable once made: pages may be shared by many.
 */
import { PAGE_BYTES } from '../cpu/state.js';
import { takeRam } from '../base/ram-pool.js';

export interface RamImage {
  /** The RAM's size in bytes (a multiple of PAGE_BYTES). */
  readonly bytes: number;
  /** Indices of the stored pages, ascending. */
  readonly pages: Uint32Array;
  /** The stored pages' contents, PAGE_BYTES each, in the order of `pages` (possibly shared with other images). */
  readonly data: readonly Uint8Array[];
}

const WORDS_PER_PAGE = PAGE_BYTES / 4;

/** A page of `image` by RAM page index, or undefined when it is not stored (zero). */
function pageIndex(image: RamImage): Map<number, Uint8Array> {
  const m = new Map<number, Uint8Array>();
  for (let i = 0; i < image.pages.length; i++) m.set(image.pages[i]!, image.data[i]!);
  return m;
}

function samePage(words: Int32Array, first: number, page: Uint8Array): boolean {
  const other = new Int32Array(page.buffer, page.byteOffset, WORDS_PER_PAGE);
  for (let w = 0; w < WORDS_PER_PAGE; w++) if (words[first + w] !== other[w]) return false;
  return true;
}

/**
 * The non-zero pages of `ram` (a copy). A page equal to the same page of one of `bases` (earlier images of
 * this RAM, or of a replica's) is shared with it instead of copied.
 */
export function packRam(ram: Uint8Array, bases: readonly (RamImage | undefined)[] = []): RamImage {
  const words = new Int32Array(ram.buffer, ram.byteOffset, ram.length / 4);
  const nPages = ram.length / PAGE_BYTES;
  const lookups = bases.filter((b): b is RamImage => b !== undefined && b.bytes === ram.length).map(pageIndex);
  const keep: number[] = [];
  const data: Uint8Array[] = [];
  for (let p = 0; p < nPages; p++) {
    const first = p * WORDS_PER_PAGE;
    const end = first + WORDS_PER_PAGE;
    let w = first;
    while (w < end && words[w] === 0) w++;
    if (w === end) continue;
    keep.push(p);
    let page: Uint8Array | undefined;
    for (const l of lookups) {
      const candidate = l.get(p);
      if (candidate && samePage(words, first, candidate)) {
        page = candidate;
        break;
      }
    }
    data.push(page ?? ram.slice(p * PAGE_BYTES, (p + 1) * PAGE_BYTES));
  }
  return { bytes: ram.length, pages: Uint32Array.from(keep), data: Object.freeze(data) };
}

/** A RAM buffer with the contents `image` recorded. */
export function unpackRam(image: RamImage): Uint8Array {
  const ram = takeRam(image.bytes);
  for (let i = 0; i < image.pages.length; i++) ram.set(image.data[i]!, image.pages[i]! * PAGE_BYTES);
  return ram;
}

/** One byte per RAM page, 1 where `image` stores the page (every other page of its RAM is zero). */
export function storedPages(image: RamImage): Uint8Array {
  const map = new Uint8Array(image.bytes / PAGE_BYTES);
  for (let i = 0; i < image.pages.length; i++) map[image.pages[i]!] = 1;
  return map;
}

/** Bytes of page storage that some images hold together, each shared page counted once. */
export function ramImagesBytes(images: readonly RamImage[]): number {
  const seen = new Set<Uint8Array>();
  for (const im of images) for (const p of im.data) seen.add(p);
  return seen.size * PAGE_BYTES;
}
