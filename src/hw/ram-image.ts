/**
 * RAM as a snapshot keeps it: only the pages holding a non-zero byte. A guest touches a few hundred KiB
 * of its 16 MiB, so a pair snapshot is small and restoring one is a fresh (zeroed) buffer plus those
 * pages, instead of two 16 MiB copies per computer.
 */
import { PAGE_BYTES } from '../cpu/state.js';
import { takeRam } from '../base/ram-pool.js';

export interface RamImage {
  /** The RAM's size in bytes (a multiple of PAGE_BYTES). */
  readonly bytes: number;
  /** Indices of the stored pages, ascending. */
  readonly pages: Uint32Array;
  /** The stored pages' contents, PAGE_BYTES each, in the order of `pages`. */
  readonly data: Uint8Array;
}

const WORDS_PER_PAGE = PAGE_BYTES / 4;

/** The non-zero pages of `ram` (a copy). */
export function packRam(ram: Uint8Array): RamImage {
  const words = new Int32Array(ram.buffer, ram.byteOffset, ram.length / 4);
  const nPages = ram.length / PAGE_BYTES;
  const keep: number[] = [];
  for (let p = 0; p < nPages; p++) {
    const end = (p + 1) * WORDS_PER_PAGE;
    for (let w = p * WORDS_PER_PAGE; w < end; w++) {
      if (words[w] !== 0) {
        keep.push(p);
        break;
      }
    }
  }
  const data = new Uint8Array(keep.length * PAGE_BYTES);
  keep.forEach((p, i) => data.set(ram.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES), i * PAGE_BYTES));
  return { bytes: ram.length, pages: Uint32Array.from(keep), data };
}

/** A RAM buffer with the contents `image` recorded. */
export function unpackRam(image: RamImage): Uint8Array {
  const ram = takeRam(image.bytes);
  for (let i = 0; i < image.pages.length; i++) {
    ram.set(image.data.subarray(i * PAGE_BYTES, (i + 1) * PAGE_BYTES), image.pages[i]! * PAGE_BYTES);
  }
  return ram;
}
