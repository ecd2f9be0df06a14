/**
 * Expands the instruction templates of isa/semantics.ts. A template is a statement with the names RS1,
 * RS2, IMM, PC, NEXT and the macros SET, LINK, JUMP, LOAD, STORE, DEFER; a generator (the interpreter's
 * loop, src/cpu/interp.ts, the block translator, src/cpu/translate.ts, or the descriptions of
 * isa/describe.ts) says what each stands for.
 */
import { SEMANTICS } from './semantics.js';
import type { InstructionRow } from './instructions.js';

/** What each name and macro of a template becomes in one generator. */
export interface Expansion {
  readonly rs1: string;
  readonly rs2: string;
  readonly imm: string;
  readonly pc: string;
  readonly next: string;
  set(x: string): string;
  /** A jump to t; `link`: rd = NEXT as well. */
  jump(t: string, link: boolean): string;
  load(view: string, addr: string): string;
  store(view: string, addr: string, x: string): string;
  defer(cls: string): string;
}

const MACRO = /\b(SET|LINK|JUMP|LOAD|STORE|DEFER)\(/;
const NAME = /\b(RS1|RS2|IMM|PC|NEXT)\b/g;

/** The template of a row; throws for a row that has none (every non-sensitive row must). */
export function templateOf(row: InstructionRow): string {
  const t = SEMANTICS[row.mnemonic];
  if (t === undefined) throw new Error(`cpu: no semantics for instruction '${row.mnemonic}'`);
  return t;
}

/** Whether the template reads the register (the generators read it once, before rd is written). */
export const reads = (template: string, name: 'RS1' | 'RS2'): boolean => new RegExp(`\\b${name}\\b`).test(template);
/** Whether the template writes rd (after which x0 must read 0 again). */
export const writesRd = (template: string): boolean => /\b(SET|LINK|LOAD)\(/.test(template);

/** Splits a macro's argument text at its top-level commas. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

function names(text: string, x: Expansion): string {
  return text.replace(NAME, (name) => {
    switch (name) {
      case 'RS1':
        return x.rs1;
      case 'RS2':
        return x.rs2;
      case 'IMM':
        return `(${x.imm})`;
      case 'PC':
        return `(${x.pc})`;
      default:
        return `(${x.next})`;
    }
  });
}

/** The template's JavaScript under one generator. */
export function expand(template: string, x: Expansion): string {
  const m = MACRO.exec(template);
  if (!m) return names(template, x);
  const open = m.index + m[0].length;
  let depth = 1;
  let close = open;
  while (depth > 0) {
    if (close >= template.length) throw new Error(`cpu: unbalanced parentheses in template '${template}'`);
    const ch = template[close++];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  const args = splitArgs(template.slice(open, close - 1)).map((a) => expand(a, x));
  const arity = { SET: 1, LINK: 1, JUMP: 1, LOAD: 2, STORE: 3, DEFER: 1 }[m[1]!]!;
  if (args.length !== arity) throw new Error(`cpu: ${m[1]} takes ${arity} arguments in template '${template}'`);
  let code: string;
  switch (m[1]) {
    case 'SET':
      code = x.set(args[0]!);
      break;
    case 'LINK':
      code = x.jump(args[0]!, true);
      break;
    case 'JUMP':
      code = x.jump(args[0]!, false);
      break;
    case 'LOAD':
      code = x.load(args[0]!, args[1]!);
      break;
    case 'STORE':
      code = x.store(args[0]!, args[1]!, args[2]!);
      break;
    default:
      code = x.defer(args[0]!);
  }
  return names(template.slice(0, m.index), x) + `{ ${code} }` + expand(template.slice(close), x);
}
