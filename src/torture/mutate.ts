/**
 * Mutators: bytes (ELF files and flat binaries) and assembly text. Every draw comes from the Random
 * passed in, so the same seed gives the same mutant.
 */
import type { Random } from '../base/random.js';
import { chance, pick, word, NUMBER_TEXTS } from './values.js';

/** Largest mutant the campaign builds (a mutation may grow a file). */
const MAX_BYTES = 1 << 21;

/** ELF32 header fields worth corrupting: [offset, size]. */
const ELF_FIELDS: readonly (readonly [number, 1 | 2 | 4])[] = [
  [4, 1],
  [5, 1],
  [6, 1],
  [16, 2],
  [18, 2],
  [20, 4],
  [24, 4],
  [28, 4],
  [32, 4],
  [36, 4],
  [40, 2],
  [42, 2],
  [44, 2],
  [46, 2],
  [48, 2],
  [50, 2],
];
/** Program-header fields (offsets within one 32-byte entry). */
const PH_FIELDS: readonly (readonly [number, 4])[] = [
  [0, 4],
  [4, 4],
  [8, 4],
  [12, 4],
  [16, 4],
  [20, 4],
  [24, 4],
  [28, 4],
];
/** Section-header fields (offsets within one 40-byte entry). */
const SH_FIELDS: readonly (readonly [number, 4])[] = [
  [0, 4],
  [4, 4],
  [12, 4],
  [16, 4],
  [20, 4],
  [24, 4],
  [28, 4],
  [36, 4],
];

function put(b: Uint8Array, off: number, size: number, v: number): void {
  for (let i = 0; i < size && off + i < b.length; i++) if (off + i >= 0) b[off + i] = (v >>> (8 * i)) & 0xff;
}

function get32(b: Uint8Array, off: number): number {
  return off + 4 <= b.length ? (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0 : 0;
}

function get16(b: Uint8Array, off: number): number {
  return off + 2 <= b.length ? b[off]! | (b[off + 1]! << 8) : 0;
}

/** One structural mutation of an ELF header, program header or section header field. */
function mutateElfField(rng: Random, b: Uint8Array): void {
  const where = rng.below(3);
  if (where === 0 || b.length < 52) {
    const [off, size] = pick(rng, ELF_FIELDS);
    put(b, off, size, word(rng));
  } else if (where === 1) {
    const phoff = get32(b, 28);
    const n = Math.max(1, get16(b, 44));
    const [off] = pick(rng, PH_FIELDS);
    put(b, phoff + 32 * rng.below(n) + off, 4, word(rng));
  } else {
    const shoff = get32(b, 32);
    const n = Math.max(1, get16(b, 48));
    const [off] = pick(rng, SH_FIELDS);
    put(b, shoff + 40 * rng.below(n) + off, 4, word(rng));
  }
}

/** One mutation of any byte string. */
function mutateOnce(rng: Random, b: Uint8Array, elf: boolean): Uint8Array {
  if (b.length === 0) return Uint8Array.from({ length: rng.range(1, 64) }, () => rng.below(256));
  switch (rng.below(elf ? 9 : 8)) {
    case 0: {
      for (let n = rng.range(1, 8); n > 0; n--) b[rng.below(b.length)]! ^= 1 << rng.below(8);
      return b;
    }
    case 1:
      b[rng.below(b.length)] = pick(rng, [0, 0xff, 0x7f, 0x80, 0x01, 0x73, 0x0b, 0x2b]);
      return b;
    case 2:
      put(b, rng.below(b.length) & ~3, 4, word(rng));
      return b;
    case 3:
      return b.slice(0, rng.below(b.length + 1));
    case 4: {
      const extra = Uint8Array.from({ length: rng.range(1, 256) }, () => rng.below(256));
      const out = new Uint8Array(Math.min(MAX_BYTES, b.length + extra.length));
      out.set(b.subarray(0, out.length));
      out.set(extra.subarray(0, out.length - Math.min(b.length, out.length)), Math.min(b.length, out.length));
      return out;
    }
    case 5: {
      const at = rng.below(b.length);
      const len = rng.range(1, Math.min(4096, b.length - at));
      return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + len)]);
    }
    case 6: {
      const from = rng.below(b.length);
      const len = Math.min(rng.range(1, 512), b.length - from);
      const to = rng.below(b.length);
      b.copyWithin(to, from, from + len);
      return b;
    }
    case 7: {
      const at = rng.below(b.length) & ~3;
      for (let n = rng.range(1, 16); n > 0; n--) put(b, at + 4 * rng.below(64), 4, rng.nextU32());
      return b;
    }
    default:
      mutateElfField(rng, b);
      return b;
  }
}

/** A mutant of `bytes` (never modified): 1 to 4 mutations, ELF-aware when `elf`. */
export function mutateBytes(rng: Random, bytes: Uint8Array, elf: boolean): Uint8Array {
  let b: Uint8Array = bytes.slice();
  for (let n = rng.range(1, 4); n > 0; n--) b = mutateOnce(rng, b, elf);
  return b;
}

/** Lines of assembly no program in the corpus contains: huge directives, deep nesting, odd characters. */
function hostileLine(rng: Random): string {
  const n = pick(rng, NUMBER_TEXTS);
  switch (rng.below(16)) {
    case 0:
      return `  .space ${pick(rng, ['0x7fffffff', '0xffffffff', '-1', '0x1000000', '16777216', '0x800000', n])}`;
    case 1:
      return `  .org ${pick(rng, ['0x7fffffff', '0xfffffff0', '0', '-4', '0x1000000', n])}`;
    case 2:
      return `  .align ${pick(rng, ['31', '32', '64', '-1', '30', '24', n])}`;
    case 3:
      return `  .fill ${pick(rng, ['0x7fffffff', '100000', '-1', n])}, ${pick(rng, ['1', '4', '8', '0', '-1', n])}, ${n}`;
    case 4:
      return `  .word ${'('.repeat(rng.range(1, 20000))}1${')'.repeat(rng.range(0, 20000))}`;
    case 5:
      return `  .word ${Array.from({ length: rng.range(1, 5000) }, () => '1').join('+')}`;
    case 6:
      return `  addi a0, a0, ${'-'.repeat(rng.range(1, 20000))}1`;
    case 7:
      return `  .ascii "${pick(rng, ['\\', '\\x', '\\777', '\\xfffffffff', '\u0000', '💥', 'a'.repeat(10000)])}"`;
    case 8:
      return `${pick(rng, ['1', 'a', '.L', 'x0', 'pc', '_start', '.'])}: ${pick(rng, ['', 'nop', '.word .', 'j .'])}`;
    case 9:
      return `  .equ ${pick(rng, ['a', 'x', 'sym', 'sym'])}, ${pick(rng, ['sym', 'sym+1', '1/0', '1%0', '.', n])}`;
    case 10:
      return `  .section ${pick(rng, ['.bogus', '.text', '.data', '.bss', '', '"x"', '.text.' + 'x'.repeat(1000)])}`;
    case 11:
      return `  .${pick(rng, ['incbin', 'include', 'macro', 'rept', 'if', 'endif', 'set', 'option', 'balign', 'p2align', 'zero', 'skip', 'half', 'dword', 'string', 'asciz', 'globl', 'local', 'type', 'size'])} ${n}`;
    case 12:
      return `  ${pick(rng, ['li', 'la', 'lui', 'auipc', 'jal', 'csrw', 'csrrwi', 'slli', 'lw', 'sw', 'beq', 'io', 'halt', 'addv', 'divv'])} ${pick(rng, ['a0', 'x31', 'x32', 'zero', 'pc', 'mstatus'])}, ${n}${chance(rng, 0.5) ? `, ${pick(rng, ['a1', '0(a0)', '(a0)', n, '%hi(x)', '%lo(0x80000000)', '%pcrel_hi(.)'])}` : ''}`;
    case 13:
      return String.fromCharCode(...Array.from({ length: rng.range(1, 80) }, () => rng.range(0, 0x2fff)));
    case 14:
      return `  ${'x'.repeat(rng.range(1, 20000))}`;
    default:
      return `  .word ${Array.from({ length: rng.range(1, 64) }, () => '0x' + rng.nextU32().toString(16)).join(', ')}`;
  }
}

const TOKEN = /0x[0-9a-fA-F]+|-?\d+|[A-Za-z_.][A-Za-z0-9_.]*/g;

/** One mutation of assembly text. */
function mutateTextOnce(rng: Random, text: string, lines: readonly string[]): string {
  const L = text.split('\n');
  const i = rng.below(L.length);
  switch (rng.below(9)) {
    case 0:
      L.splice(i, rng.range(1, 5));
      break;
    case 1:
      L.splice(i, 0, ...L.slice(i, i + rng.range(1, 5)));
      break;
    case 2: {
      const j = rng.below(L.length);
      [L[i], L[j]] = [L[j]!, L[i]!];
      break;
    }
    case 3:
    case 4: {
      const toks = [...L[i]!.matchAll(TOKEN)];
      if (!toks.length) break;
      const t = pick(rng, toks);
      const numeric = /^-?\d|^0x/.test(t[0]);
      const replacement =
        numeric || chance(rng, 0.3)
          ? pick(rng, NUMBER_TEXTS) || '0'
          : pick(rng, [...tokensOf(pick(rng, lines)), 'x0', 'x31', 'sp', 'mstatus', 'xioq', '.']);
      L[i] = L[i]!.slice(0, t.index) + replacement + L[i]!.slice(t.index! + t[0].length);
      break;
    }
    case 5:
    case 6:
      L.splice(i, 0, hostileLine(rng));
      break;
    case 7:
      return L.join('\n').slice(0, rng.below(text.length + 1));
    default:
      L.splice(i, 0, pick(rng, lines));
  }
  return L.join('\n');
}

function tokensOf(line: string): string[] {
  return [...line.matchAll(TOKEN)].map((m) => m[0]);
}

/** A mutant of assembly `text`: 1 to 5 mutations; `lines` is a pool of lines from the whole corpus to splice in. */
export function mutateText(rng: Random, text: string, lines: readonly string[]): string {
  let t = text;
  const pool = lines.length ? lines : [''];
  for (let n = rng.range(1, 5); n > 0; n--) t = mutateTextOnce(rng, t, pool);
  return t;
}
