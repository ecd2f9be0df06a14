/**
 * The assembler's public entry: source text -> a linked program at RAM_BASE (ProgramImage plus the
 * sections and symbols the ELF writer needs). Two passes over parsed statements: pass 1 decides
 * every size and so every address, pass 2 computes values and writes bytes.
 */
import type { ProgramImage, Segment } from '../../isa/image.js';
import { ShadowError } from '../base/errors.js';
import type { Body } from './ast.js';
import { Asm } from './context.js';
import type { Item } from './state.js';
import { formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { expand } from './expand.js';
import { runDirective } from './directives.js';
import { runInsnFormat } from './insn-format.js';
import { chooseForm } from './forms.js';
import './pseudo.js';
import { LineError } from './line-error.js';
import { checkObjectSizes, layout, type OutputName } from './sections.js';
import { byAddress } from './elf-read.js';

export interface AssembleOptions {
  /** File name used in messages, and the base of relative `.include` paths (default `<input>`). */
  readonly file?: string;
  /** Addresses of symbols defined elsewhere (absolute); any other undefined symbol is an error. */
  readonly externs?: ReadonlyMap<string, number>;
  /** Reads an `.include`d file (default: from disk). */
  readonly readFile?: (path: string) => string;
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
  /** Declared `.weak` (then `global` is true too). */
  readonly weak?: boolean;
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

// The loops over statements and labels are indexed: a cold process runs them before V8 optimises them,
// and `for...of` then allocates an iterator result per step.
function runPass(a: Asm, items: readonly Item[], pass: 1 | 2): void {
  a.startPass(pass);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const skip = pass === 2 && a.failed.size ? a.failed.get(item.index) : undefined;
    if (skip !== undefined) {
      a.cur.off += skip;
      continue;
    }
    a.item = item;
    const { labels, body } = item.stmt;
    const sec = a.cur;
    const before = sec.off;
    try {
      for (let k = 0; k < labels.length; k++) a.defineLabel(labels[k]!.name, labels[k]!.col);
      a.dotOff = a.cur.off;
      if (body) runBody(a, body);
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      const col = item.col ?? (err.col > 0 ? err.col : body && 'col' in body ? body.col : 1);
      a.report('error', col, err.message);
      if (pass === 1) a.failed.set(item.index, a.cur === sec ? a.cur.off - before : 0);
    }
  }
  a.finishPass();
}

/** At most this many errors are printed; the rest are counted. */
export const MAX_ERRORS = 50;

/** Every error, in source order (the order of statements, macro expansions included), the first 50 printed. */
function fail(file: string, diagnostics: readonly Diagnostic[]): never {
  const errors = diagnostics
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => d.severity === 'error')
    .sort((x, y) => (x.d.order ?? -1) - (y.d.order ?? -1) || x.d.col - y.d.col || x.i - y.i)
    .map(({ d }) => d);
  const shown = errors.slice(0, MAX_ERRORS).map(formatDiagnostic);
  if (errors.length > MAX_ERRORS) shown.push(`${file}: ${errors.length - MAX_ERRORS} more errors not shown (stopped after ${MAX_ERRORS})`);
  throw new ShadowError('ASM', shown.join('\n'));
}

/** Assembles a whole program. Throws ShadowError('ASM') listing every error found. */
export function assemble(source: string, opts: AssembleOptions = {}): AssembleResult {
  const { a, outputs } = assembleState(source, opts, false);
  return link(a, outputs!);
}

/**
 * Both passes over a file, with branch relaxation; the sections are laid out from RAM_BASE, or, for a
 * relocatable object, each stays at 0 and references it cannot resolve are relocations (`a.relocs`).
 */
export function assembleState(
  source: string,
  opts: AssembleOptions,
  relocatable: boolean,
): { a: Asm; outputs: ReturnType<typeof layout> | undefined } {
  const file = opts.file ?? '<input>';
  const { items, diagnostics: early, lines } = expand(source, file, opts.readFile);
  const externs = opts.externs ?? new Map<string, number>();
  // Branch relaxation: pass 1 again, with more long branches, until every short one reaches.
  let long = new Set<number>();
  let a: Asm;
  for (;;) {
    a = new Asm(file, lines, externs, long, relocatable);
    runPass(a, items, 1);
    if (a.errorCount || early.length) break;
    const more = a.branches.filter((b) => !long.has(b.index) && a.needsLongForm(b));
    if (more.length === 0) break;
    long = new Set([...long, ...more.map((b) => b.index)]);
  }
  let outputs: ReturnType<typeof layout> | undefined;
  try {
    if (!relocatable) outputs = layout(a.sections);
    else checkObjectSizes(a.sections);
  } catch (err) {
    throw new ShadowError('ASM', `${file}: error: ${(err as Error).message}`);
  }
  for (const s of a.sections) s.bytes = s.nobits ? undefined : new Uint8Array(s.size);
  runPass(a, items, 2);
  if (!a.errorCount) a.checkSymbols();
  const all = [...early, ...a.diagnostics];
  if (all.some((d) => d.severity === 'error')) fail(file, all);
  return { a, outputs };
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
    const weak = a.weak.has(name);
    symbols.push({ name, value: value >>> 0, section, global: weak || a.globals.has(name), ...(weak ? { weak } : {}) });
  }
  const text = sections[0]!;
  const start = a.labelAddress('_start');
  const segments: Segment[] = sections
    .filter((s) => s.size > 0)
    .map((s) => (s.bytes ? { addr: s.addr, bytes: s.bytes } : { addr: s.addr, bytes: new Uint8Array(0), zeroFill: s.size }));
  const image: ProgramImage = {
    entry: (start ?? text.addr) >>> 0,
    segments,
    symbols: symbols
      .filter((s) => s.section !== '*ABS*')
      .map((s) => ({ name: s.name, addr: s.value }))
      .sort(byAddress),
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
