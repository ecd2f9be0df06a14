/** RAM buffers for processors: fresh ones, or zeroed ones handed back by processors that are done. */

/**
 * Zeroed RAM buffers, reused: a fuzzer runs thousands of short-lived pairs, and a fresh 16 MiB buffer
 * each time costs more in allocation and garbage collection than clearing a used one. A buffer is
 * handed back with `releaseRam` only when nothing refers to it any more. A guest writes a few hundred KiB
 * of its RAM, so whoever knows which pages were written says so, and only those are cleared: clearing
 * whole buffers cost a sixth of a fuzz sweep's time.
 */
interface Pooled {
  readonly ram: Uint8Array;
  /** One byte per 4 KiB page, 1 where the page may hold a non-zero byte; undefined: any page may. */
  readonly written: Uint8Array | undefined;
}

/** By size; the size handed back last comes last (Map order), so the first is the one used least lately. */
const pool = new Map<number, Pooled[]>();
/** Buffers kept of one size: a pair, or a group of up to four replicas, reuses them all. */
const POOL_MAX = 4;
/**
 * Bytes kept over all sizes. Without this bound a process that runs guests of many RAM sizes (the torture
 * campaign draws --ram from 1 to 32 MiB) kept four buffers of every size it had seen: 4.3 GiB RSS after
 * 100k inputs on two worker threads, with 140 MiB of heap.
 */
export const POOL_MAX_BYTES = 128 * 1024 * 1024;
let pooledBytes = 0;
/** The page size of `written` maps (the processor's dirty-bit granularity, cpu/state.ts PAGE_BYTES). */
export const RAM_POOL_PAGE = 4096;

export function takeRam(bytes: number): Uint8Array {
  const entry = pool.get(bytes)?.pop();
  if (!entry) return new Uint8Array(bytes);
  pooledBytes -= bytes;
  const { ram, written } = entry;
  if (!written) ram.fill(0);
  else clearPages(ram, written);
  return ram;
}

/** Zeroes the 4 KiB pages of `ram` that `written` marks (one byte per page). */
export function clearPages(ram: Uint8Array, written: Uint8Array): void {
  for (let p = 0; p < written.length; p++) if (written[p] !== 0) ram.fill(0, p * RAM_POOL_PAGE, (p + 1) * RAM_POOL_PAGE);
}

/**
 * Hands `ram` back. `written` (one byte per 4 KiB page) marks every page that may hold a non-zero byte; the
 * others must be zero. Without it the whole buffer is cleared when it is taken again.
 */
export function releaseRam(ram: Uint8Array, written?: Uint8Array): void {
  if (ram.byteOffset !== 0 || ram.byteLength !== ram.buffer.byteLength) return;
  const usable = written && written.length * RAM_POOL_PAGE === ram.length ? written : undefined;
  const list = pool.get(ram.length) ?? [];
  pool.delete(ram.length);
  pool.set(ram.length, list);
  if (list.length >= POOL_MAX || ram.length > POOL_MAX_BYTES || list.some((e) => e.ram === ram)) return;
  // Make room by dropping the buffers of the sizes used least lately.
  for (const [size, others] of pool) {
    if (pooledBytes + ram.length <= POOL_MAX_BYTES || size === ram.length) break;
    pooledBytes -= size * others.length;
    pool.delete(size);
  }
  if (pooledBytes + ram.length > POOL_MAX_BYTES) return;
  list.push({ ram, written: usable });
  pooledBytes += ram.length;
}

/** How many zeroed buffers of `bytes` bytes wait in the pool (for tests that check that runs hand their RAM back). */
export function pooledRam(bytes: number): number {
  return pool.get(bytes)?.length ?? 0;
}

/** Bytes held by the pool over all sizes (at most POOL_MAX_BYTES). */
export function pooledRamBytes(): number {
  return pooledBytes;
}
