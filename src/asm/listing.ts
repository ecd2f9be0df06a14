/**
 * A whole-file disassembly in the layout of `riscv64-unknown-elf-objdump -d` (binutils 2.40): the
 * file header, one block per code section, a `80000010 <name>:` header at each symbol, and one line
 * per word. Symbol choice follows objdump's (sorting, nearest symbol at or before an address,
 * preference for the section being disassembled).
 */
import { Disassembler, type SymbolLookup } from './disasm.js';
import { decode } from './decode.js';
import { describeRow } from '../../isa/describe.js';

export interface ListingSymbol {
  readonly name: string;
  readonly value: number;
  /** Section name, or `*ABS*`. */
  readonly section: string;
  readonly global: boolean;
  readonly func: boolean;
  readonly object: boolean;
  readonly size: number;
}

export interface ListingSection {
  readonly name: string;
  readonly addr: number;
  readonly bytes: Uint8Array;
  /** GNU mapping symbols of the section (`$x`: code from here, `$d`: data), in symbol-table order. */
  readonly mapping?: readonly { readonly addr: number; readonly kind: 'x' | 'd' }[];
}

export interface ListingInput {
  /** The file name as given on the command line. */
  readonly fileName: string;
  /** `elf32-littleriscv` or `binary`. */
  readonly format: string;
  /** Code sections, in file order. */
  readonly sections: readonly ListingSection[];
  readonly symbols: readonly ListingSymbol[];
  /** Append each instruction's definition from the instruction table (`disasm --describe`). */
  readonly describe?: boolean;
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const isFileSymbol = (n: string): boolean => n.length > 2 && n[n.length - 2] === '.' && (n.endsWith('o') || n.endsWith('a'));

function compareFor(section: string) {
  return (a: ListingSymbol, b: ListingSymbol): number => {
    if (a.value !== b.value) return a.value < b.value ? -1 : 1;
    const as = a.section === section;
    const bs = b.section === section;
    if (as !== bs) return as ? -1 : 1;
    const af = isFileSymbol(a.name);
    if (af !== isFileSymbol(b.name)) return af ? 1 : -1;
    if (a.func !== b.func) return a.func ? -1 : 1;
    if (a.object !== b.object) return a.object ? -1 : 1;
    if (a.global !== b.global) return a.global ? -1 : 1;
    if (a.size !== b.size) return a.size > b.size ? -1 : 1;
    const ad = a.name.startsWith('.');
    if (ad !== b.name.startsWith('.')) return ad ? 1 : -1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  };
}

/** objdump's find_symbol_for_address for a linked executable: index into `sorted`, or -1. */
function findSymbol(sorted: readonly ListingSymbol[], vma: number, section: string): number {
  if (sorted.length === 0) return -1;
  let min = 0;
  let max = sorted.length;
  while (min + 1 < max) {
    const t = Math.floor((min + max) / 2);
    const v = sorted[t]!.value;
    if (v > vma) max = t;
    else if (v < vma) min = t;
    else {
      min = t;
      break;
    }
  }
  let place = min;
  while (place > 0 && sorted[place]!.value === sorted[place - 1]!.value) place--;
  for (let m = place; m < max && sorted[m]!.value === sorted[place]!.value; m++) {
    if (sorted[m]!.section === section) return m;
  }
  return place;
}

/** The address column: objdump drops leading zero nibbles (in groups of 4) common to the section. */
function addressWidth(sec: ListingSection): number {
  const end = hex8(sec.addr + sec.bytes.length);
  let skip = 0;
  while (skip < end.length && end[skip] === '0') skip++;
  if (skip === end.length && sec.addr !== 0) skip = 0;
  if (skip !== 0) skip = (skip - 1) & -4;
  return skip;
}

function formatAddr(addr: number, skip: number): string {
  const s = hex8(addr).slice(skip);
  const t = s.replace(/^0+/, '');
  return (t === '' ? '0' : t).padStart(s.length, ' ');
}

const hexBytes = (b: Uint8Array, at: number, n: number): string => {
  let v = 0;
  for (let k = n - 1; k >= 0; k--) v = v * 256 + b[at + k]!;
  return v.toString(16).padStart(2 * n, '0');
};

/** Bytes column of objdump: the chunk in hex, padded to the width of 8 bytes. */
const column = (hexText: string, chunk: number): string => hexText.padEnd(16 + 8 / chunk);

const SKIP_ZEROES = 8;
const SKIP_ZEROES_AT_END = 3;

/** objdump's `...` for a run of zero bytes: the number of bytes skipped, or 0. */
function zeroRun(b: Uint8Array, at: number, stopAt: number): number {
  let z = at;
  while (z < stopAt && b[z] === 0) z++;
  const n = z - at;
  if (n >= SKIP_ZEROES || (z === stopAt && n > 0 && n < SKIP_ZEROES_AT_END)) return z === stopAt ? n : n & ~3;
  return 0;
}

/** An instruction's text with its definition (isa/describe.ts) as a comment, or after objdump's own comment. */
function described(text: string, word: number): string {
  const d = decode(word);
  if (!d) return text;
  return `${text}${text.includes(' # ') ? '; ' : '\t# '}${describeRow(d.row)}`;
}

/** One line of the listing at `addr`; returns the number of bytes it covers. */
function line(
  out: string[],
  dis: Disassembler,
  sec: ListingSection,
  addr: number,
  stop: number,
  skip: number,
  mapping: readonly { addr: number; kind: 'x' | 'd' }[],
  describe: boolean,
): number {
  const at = addr - sec.addr;
  const b = sec.bytes;
  const end = sec.addr + b.length;
  let state: 'x' | 'd' = 'x';
  let nextMap = end;
  for (const m of mapping) {
    if (m.addr <= addr) state = m.kind;
    else {
      nextMap = Math.min(nextMap, m.addr);
      break;
    }
  }
  const zeros = zeroRun(b, at, stop - sec.addr);
  if (zeros > 0) {
    out.push('\t...\n');
    return zeros;
  }
  const where = `${formatAddr(addr, skip)}:\t`;
  if (state === 'd') {
    let n = Math.min(4, nextMap - addr, end - addr);
    if (n === 3) n = 2;
    const dir = n === 4 ? '.word' : n === 2 ? '.short' : '.byte';
    out.push(`${where}${column(hexBytes(b, at, n), n === 1 ? 4 : n)}\t${dir}\t0x${hexBytes(b, at, n)}\n`);
    return n;
  }
  const left = Math.min(stop, end) - addr;
  if (left >= 2 && (b[at]! & 3) !== 3) {
    const h = hexBytes(b, at, 2);
    out.push(`${where}${column(h, 2)}\t.2byte\t0x${parseInt(h, 16).toString(16)}\n`);
    return 2;
  }
  if (left >= 4) {
    const w = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
    out.push(`${where}${column(hex8(w), 4)}\t${describe ? described(dis.text(w, addr), w) : dis.text(w, addr)}\n`);
    return 4;
  }
  const byte = hexBytes(b, at, 1);
  out.push(`${where}${column(byte, 4)}\t.byte\t0x${byte}\n`);
  return 1;
}

export function objdumpListing(input: ListingInput): string {
  const out: string[] = [`\n${input.fileName}:     file format ${input.format}\n\n`];
  const gpSym = input.symbols.find((s) => s.name === '__global_pointer$');
  let current = '';
  let sorted: ListingSymbol[] = [];
  let currentSec: ListingSection | undefined;
  const lookup: SymbolLookup = (addr) => {
    const i = findSymbol(sorted, addr, current);
    if (i < 0) return { name: current, addr: currentSec!.addr };
    return { name: sorted[i]!.name, addr: sorted[i]!.value };
  };
  const dis = new Disassembler(input.symbols.length ? lookup : undefined, gpSym?.value);
  for (const sec of input.sections) {
    current = sec.name;
    currentSec = sec;
    sorted = [...input.symbols].sort(compareFor(sec.name));
    out.push(`\nDisassembly of section ${sec.name}:\n`);
    const skip = addressWidth(sec);
    const mapping = [...(sec.mapping ?? [])].map((m, i) => ({ ...m, i })).sort((x, y) => x.addr - y.addr || x.i - y.i);
    const end = sec.addr + sec.bytes.length;
    let addr = sec.addr;
    let place = findSymbol(sorted, addr, sec.name);
    let sym = place >= 0 ? sorted[place] : undefined;
    while (addr < end) {
      const head = sym ?? { name: sec.name, value: sec.addr };
      const off =
        addr === head.value ? '' : addr > head.value ? `+0x${(addr - head.value).toString(16)}` : `-0x${(head.value - addr).toString(16)}`;
      out.push(`\n${hex8(addr)} <${head.name}${off}>:\n`);
      let next: ListingSymbol | undefined;
      if (sym && sym.value > addr) next = sym;
      else if (sym) {
        const cur = sym;
        while (place < sorted.length && !(sorted[place]!.section === sec.name && sorted[place]!.value > cur.value)) place++;
        next = sorted[place];
      }
      const stop = Math.min(end, sym && sym.value > addr ? sym.value : next ? next.value : end);
      while (addr < stop) addr += line(out, dis, sec, addr, Math.min(stop, end), skip, mapping, input.describe === true);
      sym = next;
    }
  }
  return out.join('');
}
