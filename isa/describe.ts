/**
 * What an instruction does, in words a reader of a disassembly can follow, derived from its template
 * (isa/semantics.ts) by the same expansion that generates the interpreter and the block translator: one
 * definition of every instruction. Rows without a template (the sensitive ones, which the monitor
 * emulates) and the slow path's rows (fence, drain: the loop decides them by the whole word) are described
 * by their table summary.
 */
import type { InstructionRow } from './instructions.js';
import { SEMANTICS, SLOW_PATH } from './semantics.js';
import { expand, type Expansion } from './template.js';

/** The RAM views of LOAD and STORE, by access size and signedness. */
const MEMORY: Readonly<Record<string, string>> = { i8: 'mem8s', u8: 'mem8', i16: 'mem16s', u16: 'mem16', m32: 'mem32' };

const memory = (view: string): string => {
  const m = MEMORY[view];
  if (m === undefined) throw new Error(`isa: no RAM view '${view}'`);
  return m;
};

const WORDS: Expansion = {
  rs1: 'rs1',
  rs2: 'rs2',
  imm: 'imm',
  pc: 'pc',
  next: 'pc + 4',
  set: (x) => `rd = ${x}`,
  jump: (t, link) => (link ? `rd = pc + 4; pc = ${t}` : `pc = ${t}`),
  load: (view, addr) => `rd = ${memory(view)}[${addr}]`,
  store: (view, addr, x) => `${memory(view)}[${addr}] = ${x}`,
  defer: (cls) => `defer a ${cls} trap`,
};

/** A template in words: its expansion with the generators' braces and the parentheses around single names dropped. */
export function describeTemplate(template: string): string {
  let text = expand(template, WORDS);
  for (let before = ''; before !== text;) {
    before = text;
    text = text.replace(/\{ ([^{}]*) \}/g, '$1').replace(/(?<![\w.])\(([\w.]+)\)/g, '$1');
  }
  return text.replace(/;\s*$/, '').trim();
}

const SLOW: ReadonlySet<string> = new Set(SLOW_PATH);

/** The definition of a row from its template, or undefined when its template does not define it (see above). */
export function definitionOf(row: InstructionRow): string | undefined {
  const t = SEMANTICS[row.mnemonic];
  return t === undefined || SLOW.has(row.mnemonic) ? undefined : describeTemplate(t);
}

/** The description of a row: its definition, or its summary when it has none. */
export function describeRow(row: InstructionRow): string {
  return definitionOf(row) ?? row.summary;
}
