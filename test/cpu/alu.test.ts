import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { div, divu, mulh, mulhsu, mulhu, mulOverflows, rem, remu } from '../../src/cpu/alu.js';

const INT_MIN = -2147483648;
const s64 = (v: number): bigint => BigInt(v | 0);
const u64 = (v: number): bigint => BigInt(v >>> 0);
const hi = (p: bigint): number => Number(BigInt.asIntN(32, p >> 32n));
const int32 = fc.oneof(fc.integer({ min: INT_MIN, max: 2147483647 }), fc.constantFrom(0, 1, -1, INT_MIN, 2147483647, 65535, -65536));

describe('RV32M against a BigInt reference', () => {
  it('mulh, mulhsu, mulhu give the high word of the 64-bit product', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        expect(mulh(a, b)).toBe(hi(s64(a) * s64(b)));
        expect(mulhsu(a, b)).toBe(hi(s64(a) * u64(b)));
        expect(mulhu(a, b)).toBe(hi(u64(a) * u64(b)));
      }),
      { numRuns: 5000 },
    );
  });

  it('signs of the high word at the extremes', () => {
    expect(mulh(INT_MIN, INT_MIN)).toBe(0x40000000);
    expect(mulh(INT_MIN, -1)).toBe(0);
    expect(mulh(-1, -1)).toBe(0);
    expect(mulh(-1, 1)).toBe(-1);
    expect(mulhsu(-1, -1)).toBe(-1); // -1 * 0xFFFFFFFF = -0xFFFFFFFF: high word all ones
    expect(mulhsu(INT_MIN, -1)).toBe(-2147483648); // -2^31 * (2^32-1)
    expect(mulhu(-1, -1)).toBe(-2); // 0xFFFFFFFE
    expect(mulhu(INT_MIN, 2)).toBe(1);
  });

  it('div, divu, rem, remu truncate like RISC-V', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        if (b !== 0 && !(a === INT_MIN && b === -1)) {
          expect(div(a, b)).toBe(Number(BigInt.asIntN(32, s64(a) / s64(b))));
          expect(rem(a, b)).toBe(Number(BigInt.asIntN(32, s64(a) % s64(b))));
        }
        if (b !== 0) {
          expect(divu(a, b)).toBe(Number(BigInt.asIntN(32, u64(a) / u64(b))));
          expect(remu(a, b)).toBe(Number(BigInt.asIntN(32, u64(a) % u64(b))));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('division corner cases: by zero and INT_MIN / -1', () => {
    expect(div(7, 0)).toBe(-1);
    expect(div(INT_MIN, 0)).toBe(-1);
    expect(divu(7, 0)).toBe(-1);
    expect(rem(7, 0)).toBe(7);
    expect(rem(-7, 0)).toBe(-7);
    expect(remu(-7, 0)).toBe(-7);
    expect(div(INT_MIN, -1)).toBe(INT_MIN);
    expect(rem(INT_MIN, -1)).toBe(0);
    expect(Object.is(rem(-4, 2), 0)).toBe(true); // never -0
    expect(div(-7, 2)).toBe(-3);
    expect(rem(-7, 2)).toBe(-1);
    expect(divu(-1, 2)).toBe(0x7fffffff);
  });

  it('mulv overflow: the signed product does not fit 32 bits', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        const p = s64(a) * s64(b);
        expect(mulOverflows(a, b)).toBe(p !== BigInt.asIntN(32, p));
      }),
      { numRuns: 5000 },
    );
    expect(mulOverflows(65536, 32768)).toBe(true);
    expect(mulOverflows(65536, -32768)).toBe(false);
    expect(mulOverflows(INT_MIN, 1)).toBe(false);
    expect(mulOverflows(INT_MIN, -1)).toBe(true);
  });
});
