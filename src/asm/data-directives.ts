/** Directives that emit or reserve bytes: integers, strings, space and fill, alignment, common symbols. */
import type { Asm } from './context.js';
import { count, expr, optConst, symbolName, type DirBody, type Directive } from './directive-args.js';
import { LineError } from './line-error.js';
import { MAX_LOADED } from './sections.js';

/** Bytes other than zeros cannot go in a section without contents (.bss); `hint` says what can. */
function refuseData(a: Asm, col: number, hint = ' (use .zero or .space)'): void {
  if (a.cur.nobits) throw new LineError(col, `data is not allowed in ${a.cur.name}${hint}`);
}

export function integers(width: number): Directive {
  return {
    doc: `${width}-byte little-endian values (truncated with a warning when they do not fit, as GNU as)`,
    run(a, d) {
      for (const arg of d.args) {
        const { e, col } = expr(arg, d, 'an expression');
        refuseData(a, col);
        a.dotOff = a.cur.off;
        a.data(width, () => {
          if (a.relocatable && width === 4) {
            const r = a.tryValue(e)!;
            if (r.sec !== undefined) {
              a.addReloc('32', r, e);
              return 0n;
            }
          }
          const v = a.value(e);
          const high = v >> BigInt(width * 8);
          if (high !== 0n && high !== -1n) {
            const masked = BigInt.asUintN(width * 8, v);
            a.warn(col, `value 0x${BigInt.asUintN(64, v).toString(16)} truncated to 0x${masked.toString(16)}`);
          }
          return v;
        });
      }
    },
  };
}

export function strings(zero: boolean): Directive {
  return {
    doc: zero ? 'strings, each followed by a NUL byte' : 'strings, without a terminating NUL',
    run(a, d) {
      for (const arg of d.args) {
        if (arg.kind !== 'string') throw new LineError(arg.col, `${d.name}: expected a string`);
        refuseData(a, arg.col);
        a.bytes(arg.bytes);
        if (zero) a.fill(1, 0);
      }
    },
  };
}

/** A negative first argument (a size or count) is ignored with a warning, as GNU as does: true when it is. */
function negativeIgnored(a: Asm, d: DirBody, n: number, what: string): boolean {
  if (n >= 0) return false;
  a.warn(d.args[0]!.col, `${d.name} ${what} ${n} is negative, ignored`);
  return true;
}

export const space: Directive = {
  doc: '`.space n[, fill]`: n bytes of `fill` (default 0)',
  run(a, d) {
    count(d, 1, 2);
    const n = optConst(a, d, 0, 'size')!;
    const fill = optConst(a, d, 1, 'fill') ?? 0;
    if (negativeIgnored(a, d, n, 'size')) return;
    if (fill !== 0) refuseData(a, d.args[1]!.col, '');
    a.fill(n, fill & 0xff);
  },
};

export function alignment(bytes: boolean): Directive {
  return {
    doc: bytes
      ? '`.balign n[, fill[, max]]`: align to n bytes (a power of two)'
      : '`.align p[, fill[, max]]`: align to 2**p bytes; in code, padding is nops and alignments up to 4 do nothing (GNU as)',
    run(a, d) {
      count(d, 1, 3);
      const n = optConst(a, d, 0, 'alignment')!;
      let pow = n;
      if (bytes) {
        if (n <= 0 || (n & (n - 1)) !== 0) throw new LineError(d.args[0]!.col, 'alignment not a power of 2');
        pow = Math.log2(n);
      }
      if (pow < 0 || pow > 16) throw new LineError(d.args[0]!.col, `alignment ${n} out of range`);
      a.align(pow, optConst(a, d, 1, 'fill'), optConst(a, d, 2, 'maximum'));
    },
  };
}

export const common: Directive = {
  doc: '`.comm name, size[, align]` / `.lcomm`: `size` zero bytes for `name` in .bss, aligned to `align` bytes (an executable has no common symbols, so both allocate at this point)',
  run(a, d) {
    count(d, 2, 3);
    const name = symbolName(d.args[0], d);
    const size = optConst(a, d, 1, 'size')!;
    if (size < 0) throw new LineError(d.args[1]!.col, `${d.name} size ${size} is negative`);
    const align = optConst(a, d, 2, 'alignment') ?? 1;
    if (align <= 0 || (align & (align - 1)) !== 0) throw new LineError(d.args[2]!.col, 'alignment not a power of 2');
    const back = a.cur;
    a.cur = a.section('.bss', d.col);
    a.align(Math.log2(align), undefined, undefined);
    a.defineLabel(name, d.args[0]!.col);
    a.fill(size, 0);
    a.cur = back;
  },
};

export const fill: Directive = {
  doc: '`.fill repeat[, size[, value]]`: `repeat` copies of `value` (default 0) in `size` bytes (default 1, at most 8; bytes past the fourth are 0, as GNU as)',
  run(a, d) {
    count(d, 1, 3);
    const repeat = optConst(a, d, 0, 'repeat count')!;
    const size = optConst(a, d, 1, 'size') ?? 1;
    const arg = d.args[2];
    if (negativeIgnored(a, d, repeat, 'repeat count')) return;
    if (size < 0) throw new LineError(d.args[1]!.col, `${d.name} size ${size} is negative`);
    const width = Math.min(size, 8);
    if (repeat === 0 || width === 0) return;
    if (repeat * width > MAX_LOADED) {
      throw new LineError(d.args[0]!.col, `${d.name} of ${repeat * width} bytes is more than the ${MAX_LOADED} an image may have`);
    }
    const value = arg === undefined || arg.kind === 'empty' ? undefined : expr(arg, d, 'a value');
    if (value) refuseData(a, value.col);
    for (let i = 0; i < repeat; i++) {
      a.dotOff = a.cur.off;
      a.data(width, () => (value ? BigInt.asUintN(32, a.value(value.e)) : 0n));
    }
  },
};
