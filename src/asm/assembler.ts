/**
 * The assembler's public entry: source text -> a linked program at RAM_BASE (ProgramImage plus the
 * sections and symbols the ELF writer needs). Two passes over parsed statements: pass 1 decides
 * every size and so every address, pass 2 computes values and writes bytes.
 */
import type { ProgramImage, Segment } from '../../isa/image.js';
import { ShadowError } from '../base/errors.js';
import type { Body, Statement } from './ast.js';
import { Asm, type Item } from './context.js';
import { formatDiagnostic } from './diagnostics.js';
import { runDirective, runInsnFormat } from './directives.js';
import { chooseForm } from './forms.js';
import './pseudo.js';
import { LineError, parseLine } from './parse.js';
import { layout, type OutputName } from './sections.js';
import { byAddress } from './elf-read.js';

export interface AssembleOptions {
  /** File name used in messages (default `<input>`). */
  readonly file?: string;
}

export interface AsmSection {
  readonly name: OutputName;
  readonly addr: number;
  readonly size: number;
  readonly align: number;
  /** Contents; undefined for .bss. */
  readonly bytes: Uint8Array | undefined;
  /** GNU mapping symbols (`$x`/`$d`) of code, by address; `arch` marks the first `$x` of an input section. */
  readonly mapping: readonly { readonly addr: number; readonly kind: 'x' | 'd'; readonly arch: boolean }[];
}

export interface AsmSymbol {
  readonly name: string;
  readonly value: number;
  /** Output section of a label; '*ABS*' for `.equ`/`.set` constants. */
  readonly section: OutputName | '*ABS*';
  readonly global: boolean;
}

export interface AssembleResult {
  readonly image: ProgramImage;
  /** The four output sections in address order (empty ones included, with size 0). */
  readonly sections: readonly AsmSection[];
  /** Symbols for the ELF symbol table: named labels and constants (not `.L*` or numeric labels). */
  readonly symbols: readonly AsmSymbol[];
  /** Warnings in GCC's format (e.g. a `.byte` value truncated). */
  readonly warnings: readonly string[];
}

/** Blanks out the inside of `/* ... *\/` comments that span lines, keeping line numbers. */
function blankBlockComments(source: string): string {
  if (!source.includes('/*')) return source;
  let out = '';
  let i = 0;
  let inString = false;
  while (i < source.length) {
    const c = source[i]!;
    if (inString) {
      out += c;
      if (c === '\\' && i + 1 < source.length) out += source[++i];
      else if (c === '"' || c === '\n') inString = false;
      i++;
    } else if (c === '"') {
      inString = true;
      out += c;
      i++;
    } else if (c === '#') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function runBody(a: Asm, body: Body): void {
  switch (body.kind) {
    case 'insn':
      chooseForm(body.name, body.col, body.ops).emit(a, body.ops, body.col);
      return;
    case 'dir':
      runDirective(a, body);
      return;
    case 'insnDir':
      runInsnFormat(a, body);
      return;
    case 'assign':
      a.defineEqu(body.name, body.e, body.col);
      return;
  }
}

function runPass(a: Asm, items: readonly Item[], pass: 1 | 2): void {
  a.startPass(pass);
  for (const item of items) {
    a.item = item;
    const { labels, body } = item.stmt;
    try {
      for (const l of labels) a.defineLabel(l.name, l.col);
      a.dotOff = a.cur.off;
      if (body) runBody(a, body);
    } catch (err) {
      const col = err instanceof LineError && err.col > 0 ? err.col : body && 'col' in body ? body.col : 1;
      a.report('error', col, (err as Error).message);
    }
  }
  a.finishPass();
}

function fail(a: Asm): never {
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  throw new ShadowError('ASM', errors.map(formatDiagnostic).join('\n'));
}

/** Assembles a whole program. Throws ShadowError('ASM') listing every error found. */
export function assemble(source: string, opts: AssembleOptions = {}): AssembleResult {
  const lines = blankBlockComments(source).split(/\r?\n/);
  const a = new Asm(opts.file ?? '<input>', source.split(/\r?\n/));
  const items: Item[] = [];
  // Statements are immutable, so a line that repeats (`ret`, `addi sp, sp, -16`...) is parsed once.
  const parsed = new Map<string, Statement[]>();
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    try {
      let stmts = parsed.get(text);
      if (!stmts) parsed.set(text, (stmts = parseLine(text)));
      for (const stmt of stmts) items.push({ stmt, line: i + 1, index: items.length });
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      a.item = { stmt: { labels: [], body: undefined }, line: i + 1, index: items.length };
      a.report('error', err.col, err.message);
    }
  }
  runPass(a, items, 1);
  if (a.errorCount) fail(a);
  const outputs = layout(a.sections);
  for (const s of a.sections) s.bytes = s.nobits ? undefined : new Uint8Array(s.size);
  runPass(a, items, 2);
  if (!a.errorCount) a.checkSymbols();
  if (a.errorCount) fail(a);
  return link(a, outputs);
}

function link(a: Asm, outputs: ReturnType<typeof layout>): AssembleResult {
  const sections: AsmSection[] = outputs.map((o) => {
    const mapping = o.inputs.flatMap((s) => s.mapping.map((m) => ({ addr: s.base + m.off, kind: m.kind, arch: m.arch })));
    if (o.name === '.bss') return { name: o.name, addr: o.addr, size: o.size, align: o.align, bytes: undefined, mapping };
    const bytes = new Uint8Array(o.size);
    for (const s of o.inputs) bytes.set(s.bytes!, s.base - o.addr);
    return { name: o.name, addr: o.addr, size: o.size, align: o.align, bytes, mapping };
  });
  const symbols: AsmSymbol[] = [];
  for (const [name, def] of a.symbols) {
    if (name.startsWith('.L')) continue;
    const value = a.labelAddress(name);
    if (value === undefined) continue;
    const section = def.kind === 'label' ? def.sec.out : '*ABS*';
    symbols.push({ name, value: value >>> 0, section, global: a.globals.has(name) });
  }
  const text = sections[0]!;
  const start = a.labelAddress('_start');
  const segments: Segment[] = sections
    .filter((s) => s.size > 0)
    .map((s) => (s.bytes ? { addr: s.addr, bytes: s.bytes } : { addr: s.addr, bytes: new Uint8Array(0), zeroFill: s.size }));
  const image: ProgramImage = {
    entry: (start ?? text.addr) >>> 0,
    segments,
    symbols: symbols.filter((s) => s.section !== '*ABS*').map((s) => ({ name: s.name, addr: s.value })).sort(byAddress),
  };
  const warnings = a.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
  return { image, sections, symbols, warnings };
}

/** The flat binary of a program, as `objcopy -O binary` makes it: loaded sections from the first, gaps zeroed, no .bss. */
export function toBinary(r: AssembleResult): Uint8Array {
  const loaded = r.sections.filter((s) => s.bytes && s.size > 0);
  if (loaded.length === 0) return new Uint8Array(0);
  const start = loaded[0]!.addr;
  const last = loaded[loaded.length - 1]!;
  const out = new Uint8Array(last.addr + last.size - start);
  for (const s of loaded) out.set(s.bytes!, s.addr - start);
  return out;
}
