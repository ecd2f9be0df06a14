/**
 * A running 64-bit hash of a byte stream (two 32-bit FNV-1a-style lanes): the digest of bytes appended in
 * any number of pieces equals the digest of the whole. Enough to tell two outputs apart in a report
 * without keeping either; not cryptographic.
 */

export interface Hash64State {
  readonly h1: number;
  readonly h2: number;
}

export const HASH64_START: Hash64State = Object.freeze({ h1: 0x811c9dc5, h2: 0x01000193 });

/** The state after `bytes` follow the stream hashed so far. */
export function hash64Update(state: Hash64State, bytes: Uint8Array): Hash64State {
  let h1 = state.h1;
  let h2 = state.h2;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return { h1, h2 };
}

/** 16 hex digits. */
export function hash64Hex(state: Hash64State): string {
  return (state.h1 >>> 0).toString(16).padStart(8, '0') + (state.h2 >>> 0).toString(16).padStart(8, '0');
}

/** The digest of one whole byte string (the same as fuzz reports' disk hashes). */
export function hash64(bytes: Uint8Array): string {
  return hash64Hex(hash64Update(HASH64_START, bytes));
}
