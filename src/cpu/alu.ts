/**
 * The RV32M arithmetic that JavaScript does not have natively: high words of 32x32 products, division
 * with RISC-V's corner cases, and the overflow tests of the Xshadow deferred-trap instructions. Exact in
 * doubles (every intermediate stays below 2^53); no BigInt on the hot path.
 */

const INT_MIN = -2147483648;

/**
 * High 32 bits of a * b, where `a` is an int32 taken as signed (`aSigned`) or unsigned, and `b` is the
 * other factor already as the number it stands for (int32 for signed, uint32 for unsigned).
 * a * b = (ah * 2^16 + al) * b; with t = al * b = tq * 2^16 + tr (0 <= tr < 2^16), the high word is
 * floor((ah * b + tq) / 2^16): every term is below 2^49 in magnitude, so all of it is exact.
 */
function mulHigh(a: number, aSigned: boolean, b: number): number {
  const ah = aSigned ? a >> 16 : a >>> 16;
  const al = a & 0xffff;
  const t = al * b;
  const tq = Math.floor(t / 65536);
  return Math.floor((ah * b + tq) / 65536) | 0;
}

/** mulh: high word of signed * signed. */
export const mulh = (a: number, b: number): number => mulHigh(a, true, b | 0);
/** mulhsu: high word of signed * unsigned. */
export const mulhsu = (a: number, b: number): number => mulHigh(a, true, b >>> 0);
/** mulhu: high word of unsigned * unsigned. */
export const mulhu = (a: number, b: number): number => mulHigh(a, false, b >>> 0);

/** div: x / 0 = -1, INT_MIN / -1 = INT_MIN, else truncated (exact: |quotient| < 2^31 and |a| < 2^53). */
export function div(a: number, b: number): number {
  if (b === 0) return -1;
  if (a === INT_MIN && b === -1) return INT_MIN;
  return (a / b) | 0;
}

export function divu(a: number, b: number): number {
  if (b === 0) return -1;
  return ((a >>> 0) / (b >>> 0)) | 0;
}

export function rem(a: number, b: number): number {
  if (b === 0) return a;
  if (a === INT_MIN && b === -1) return 0;
  return (a % b) | 0;
}

export function remu(a: number, b: number): number {
  if (b === 0) return a;
  return ((a >>> 0) % (b >>> 0)) | 0;
}

/** True when the signed product of two int32 does not fit 32 bits (mulv's OVF). */
export function mulOverflows(a: number, b: number): boolean {
  return mulh(a, b) !== Math.imul(a, b) >> 31;
}
