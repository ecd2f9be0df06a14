/** RAM buffers for processors: fresh ones, or zeroed ones handed back by processors that are done. */

/**
 * Zeroed RAM buffers, reused: a fuzzer runs thousands of short-lived pairs, and a fresh 16 MiB buffer
 * each time costs more in allocation and garbage collection than clearing a used one. A buffer is
 * handed back with `releaseRam` only when nothing refers to it any more.
 */
const pool = new Map<number, Uint8Array[]>();
const POOL_MAX = 4;

export function takeRam(bytes: number): Uint8Array {
  const ram = pool.get(bytes)?.pop();
  if (!ram) return new Uint8Array(bytes);
  ram.fill(0);
  return ram;
}

export function releaseRam(ram: Uint8Array): void {
  if (ram.byteOffset !== 0 || ram.byteLength !== ram.buffer.byteLength) return;
  const list = pool.get(ram.length) ?? [];
  if (list.length < POOL_MAX && !list.includes(ram)) list.push(ram);
  pool.set(ram.length, list);
}

/** How many zeroed buffers of `bytes` bytes wait in the pool (for tests that check that runs hand their RAM back). */
export function pooledRam(bytes: number): number {
  return pool.get(bytes)?.length ?? 0;
}
