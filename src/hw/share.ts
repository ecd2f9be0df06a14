/**
 * A deep copy of hardware state that shares byte buffers instead of copying them. In the I/O controller's
 * and the devices' state, every Uint8Array is data that never changes once made (a WRITE's bytes copied at
 * issue, a READ's bytes waiting for delivery), so a snapshot may hold the same buffer as the live state;
 * a 15 MiB WRITE outstanding across 24 snapshots is then kept once, not 25 times. Other typed arrays
 * (generator states) are mutable and are copied.
 */
export function cloneSharingBytes<T>(value: T): T {
  return clone(value) as T;
}

function clone(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v;
  if (ArrayBuffer.isView(v)) return structuredClone(v);
  if (Array.isArray(v)) return v.map(clone);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, clone(x)]));
  if (v instanceof Set) return new Set([...v].map(clone));
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = clone(x);
  return out;
}
