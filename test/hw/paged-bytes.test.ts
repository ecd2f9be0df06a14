import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_VIEW, firstDifference, PagedBytes, STORE_PAGE_BYTES, storedBytes, viewSlice } from '../../src/hw/paged-bytes.js';

describe('paged bytes', () => {
  it('read back what was written, across page edges, zeros where nothing was', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3 * STORE_PAGE_BYTES), fc.uint8Array({ maxLength: 2 * STORE_PAGE_BYTES })), { maxLength: 6 }),
        (writes) => {
          const s = new PagedBytes();
          const plain = new Uint8Array(6 * STORE_PAGE_BYTES);
          let len = 0;
          for (const [at, b] of writes) {
            s.write(at, b);
            plain.set(b, at);
            len = Math.max(len, at + b.length);
          }
          expect(s.length).toBe(len);
          expect(Buffer.compare(s.slice(), plain.subarray(0, len))).toBe(0);
          for (const [at, b] of writes) expect(s.equals(at, plain.subarray(at, at + b.length))).toBe(true);
        },
      ),
      { seed: 21, numRuns: 60 },
    );
  });

  it('freeze: a view keeps its bytes while the store is written, and shares every page not written since', () => {
    const s = PagedBytes.of(new Uint8Array(4 * STORE_PAGE_BYTES).fill(1));
    const v1 = s.freeze();
    s.write(STORE_PAGE_BYTES + 10, new Uint8Array([9, 9]));
    const v2 = s.freeze();
    expect(viewSlice(v1, STORE_PAGE_BYTES + 10, STORE_PAGE_BYTES + 12)).toEqual(new Uint8Array([1, 1]));
    expect(viewSlice(v2, STORE_PAGE_BYTES + 10, STORE_PAGE_BYTES + 12)).toEqual(new Uint8Array([9, 9]));
    expect(v2.pages[0]).toBe(v1.pages[0]);
    expect(v2.pages[1]).not.toBe(v1.pages[1]);
    expect(storedBytes([v1, v2])).toBe(5 * STORE_PAGE_BYTES);
    // A store made from a view writes to its own copy of a page, never the view's.
    const t = PagedBytes.from(v2);
    t.write(0, new Uint8Array([7]));
    expect(viewSlice(v2, 0, 1)).toEqual(new Uint8Array([1]));
    expect(t.byteAt(0)).toBe(7);
    expect(storedBytes([v1, v2, t.freeze()])).toBe(6 * STORE_PAGE_BYTES);
  });

  it('firstDifference: -1 for equal bytes, else the first offset that differs or the shorter length', () => {
    const a = PagedBytes.of(new Uint8Array(STORE_PAGE_BYTES + 5).fill(3));
    const b = PagedBytes.from(a.freeze());
    expect(firstDifference(a.freeze(), b.freeze())).toBe(-1);
    b.write(STORE_PAGE_BYTES + 2, new Uint8Array([4]));
    expect(firstDifference(a.freeze(), b.freeze())).toBe(STORE_PAGE_BYTES + 2);
    expect(firstDifference(EMPTY_VIEW, a.freeze())).toBe(0);
    expect(firstDifference(a.freeze(), PagedBytes.of(new Uint8Array(10).fill(3)).freeze())).toBe(10);
  });
});
