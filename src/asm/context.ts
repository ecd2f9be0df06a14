/**
 * The assembler's context across its two passes (`Asm`): pass 1 only measures (every size is decided
 * there), pass 2 computes values and writes. This file is the emission of bytes and padding; sections
 * and diagnostics are in state.ts, symbols and expression evaluation in symbols.ts.
 */
import { LineError } from './line-error.js';
import { AsmRelocs } from './reloc-state.js';

const NOP = 0x00000013;

export class Asm extends AsmRelocs {
  // ---- emission

  /** Notes that code ('x') or data ('d') starts here, for the mapping symbols of code sections. */
  mark(kind: 'x' | 'd'): void {
    const s = this.cur;
    if (this.pass !== 1 || !s.code || s.mapState === kind) return;
    s.mapState = kind;
    s.addMapping(s.off, kind);
  }

  private write(bytes: ArrayLike<number>): void {
    const s = this.cur;
    if (this.pass === 2) {
      if (s.bytes) s.bytes.set(bytes, s.off);
      else if (Array.prototype.some.call(bytes, (b: number) => b !== 0)) throw new LineError(0, `section ${s.name} holds no data`);
    }
    s.off += bytes.length;
  }

  /** One instruction word; `make` runs in pass 2 only. */
  word(make: () => number, col: number): void {
    if (this.cur.nobits) throw new LineError(col, `instructions are not allowed in ${this.cur.name}`);
    if (this.pass === 1) {
      this.mark('x');
      this.cur.off += 4;
      return;
    }
    const w = make();
    const s = this.cur;
    const b = s.bytes;
    // Stored byte by byte where they fit (no array per word); write() for anything else, as before.
    if (!b || s.off + 4 > b.length) return this.write([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff]);
    b[s.off] = w & 0xff;
    b[s.off + 1] = (w >>> 8) & 0xff;
    b[s.off + 2] = (w >>> 16) & 0xff;
    b[s.off + 3] = (w >>> 24) & 0xff;
    s.off += 4;
  }

  /** `width` little-endian bytes of a value; `make` runs in pass 2 only. */
  data(width: number, make: () => bigint): void {
    this.mark('d');
    if (this.pass === 1) {
      this.cur.off += width;
      return;
    }
    let v = BigInt.asUintN(width * 8, make());
    const out: number[] = [];
    for (let i = 0; i < width; i++, v >>= 8n) out.push(Number(v & 0xffn));
    this.write(out);
  }

  bytes(b: Uint8Array): void {
    this.mark('d');
    if (this.pass === 1) this.cur.off += b.length;
    else this.write(b);
  }

  fill(count: number, byte: number): void {
    this.mark('d');
    if (this.pass === 1 || (this.cur.nobits && byte === 0)) {
      this.cur.off += count;
      return;
    }
    this.write(new Uint8Array(count).fill(byte));
  }

  /** GNU's code padding: a zero byte if odd, one 2-byte c.nop if needed, then 4-byte nops. */
  nops(count: number): void {
    if (this.pass === 1 && count % 2 === 1 && this.cur.code) {
      this.cur.addMapping(this.cur.off, 'd');
      this.cur.addMapping(this.cur.off + 1, 'x');
    }
    if (this.pass === 1 || this.cur.nobits) {
      this.cur.off += count;
      return;
    }
    const out: number[] = [];
    if (count % 2 === 1) out.push(0);
    if ((count - out.length) % 4 === 2) out.push(0x01, 0x00);
    while (out.length < count) out.push(NOP & 0xff, 0, 0, 0);
    this.write(out);
  }

  /**
   * `.align`-style padding to 2**pow bytes. In code sections without a fill value GNU pads with nops
   * and does nothing for alignments up to 4 (instructions are 4-byte units there already).
   */
  align(pow: number, fill: number | undefined, max: number | undefined): void {
    const a = 2 ** pow;
    const s = this.cur;
    s.align = Math.max(s.align, a);
    if (s.code && fill === undefined && a <= 4) return;
    this.mark(s.code && fill === undefined ? 'x' : 'd');
    const pad = (a - (s.off % a)) % a;
    if (pad === 0 || (max !== undefined && pad > max)) return;
    if (s.code && fill === undefined) this.nops(pad);
    else this.fill(pad, fill ?? 0);
  }

  /** End of a pass: code sections are padded to their alignment, as GNU as does. */
  finishPass(): void {
    for (const s of this.sections) {
      this.cur = s;
      if (s.code) {
        const pad = (s.align - (s.off % s.align)) % s.align;
        if (pad) {
          this.mark('x');
          this.nops(pad);
        }
      }
      if (this.pass === 1) s.size = s.off;
    }
  }
}
