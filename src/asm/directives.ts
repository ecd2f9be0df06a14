/**
 * Assembler directives: sections, symbols, data, alignment, options and `.insn`. Each entry says in
 * its `doc` what it accepts; isa/ISA.md lists them from here.
 */
import type { Asm } from './context.js';
import { alignment, common, fill, integers, space, strings } from './data-directives.js';
import { count, eachSymbol, expr, optConst, symbolName, type DirBody, type Directive } from './directive-args.js';
import { LineError } from './line-error.js';

function switchTo(name: string): Directive {
  return {
    doc: `switch to ${name}`,
    run(a, d) {
      if (d.args.length) throw new LineError(d.args[0]!.col, `${d.name}: subsections are not supported`);
      a.cur = a.section(name, d.col);
    },
  };
}

const equ: Directive = {
  doc: '`.equ name, expr` / `.set name, expr`: define (or, with .set, redefine) a symbol',
  run(a, d) {
    count(d, 2, 2);
    const name = symbolName(d.args[0], d);
    a.defineEqu(name, expr(d.args[1], d, 'an expression').e, d.args[0]!.col);
  },
};

/** `.error "text"` / `.warning "text"`: a message of the user's (usually under an `.if`). */
function message(severity: 'error' | 'warning'): Directive {
  return {
    doc: `\`.${severity} "text"\`: report text as ${severity === 'error' ? 'an error' : 'a warning'}`,
    run(a, d) {
      count(d, 0, 1);
      const arg = d.args[0];
      if (arg !== undefined && arg.kind !== 'string') throw new LineError(arg.col, `${d.name}: expected a string`);
      const text = arg ? new TextDecoder().decode(arg.bytes) : `${d.name} directive invoked in source file`;
      if (severity === 'error') throw new LineError(d.col, text);
      a.warn(d.col, text);
    },
  };
}

const ATTRIBUTE_TAGS = new Set([
  'arch',
  'unaligned_access',
  'stack_align',
  'priv_spec',
  'priv_spec_minor',
  'priv_spec_revision',
  'atomic_abi',
  'x3_reg_usage',
]);

const OPTIONS = new Set(['rvc', 'norvc', 'relax', 'norelax', 'pic', 'nopic', 'push', 'pop']);

export const DIRECTIVES: ReadonlyMap<string, Directive> = new Map<string, Directive>([
  ['.text', switchTo('.text')],
  ['.data', switchTo('.data')],
  ['.bss', switchTo('.bss')],
  [
    '.section',
    {
      doc: '`.section name[, "flags"[, @type]]`: .text*, .rodata*, .srodata*, .data*, .sdata*, .bss*, .sbss* (flags and type are ignored)',
      run(a, d) {
        count(d, 1, 4);
        const first = d.args[0]!;
        const name = first.kind === 'string' ? new TextDecoder().decode(first.bytes) : symbolName(first, d);
        a.cur = a.section(name, first.col);
      },
    },
  ],
  ['.globl', { doc: 'mark symbols global in the ELF symbol table', run: globl }],
  ['.global', { doc: 'same as .globl', run: globl }],
  ['.equ', equ],
  ['.set', equ],
  ['.word', integers(4)],
  ['.4byte', integers(4)],
  ['.long', integers(4)],
  ['.half', integers(2)],
  ['.short', integers(2)],
  ['.2byte', integers(2)],
  ['.byte', integers(1)],
  ['.ascii', strings(false)],
  ['.asciz', strings(true)],
  ['.string', strings(true)],
  [
    '.zero',
    {
      doc: '`.zero n`: n zero bytes',
      run(a, d) {
        count(d, 1, 1);
        space.run(a, d);
      },
    },
  ],
  ['.space', space],
  ['.skip', space],
  ['.align', alignment(false)],
  ['.p2align', alignment(false)],
  ['.balign', alignment(true)],
  [
    '.option',
    {
      doc: '`.option norvc|relax|norelax|pic|nopic|push|pop` are accepted (and change nothing); `rvc` is accepted with a warning (no compressed instructions are made: the machine has none); `arch` is an error',
      run(a, d) {
        count(d, 1, 2);
        const name = symbolName(d.args[0], d);
        if (name === 'arch') {
          throw new LineError(
            d.args[0]!.col,
            `.option ${name} is not supported: the machine is rv32im_zicsr without compressed instructions`,
          );
        }
        if (name === 'rvc') a.warn(d.args[0]!.col, '.option rvc: the machine has no compressed instructions; full-size ones are generated');
        if (!OPTIONS.has(name)) throw new LineError(d.args[0]!.col, `unknown option '${name}'`);
        if (name === 'push') a.optionDepth++;
        if (name === 'pop') {
          if (a.optionDepth === 0) throw new LineError(d.args[0]!.col, '.option pop with no .option push');
          a.optionDepth--;
        }
      },
    },
  ],
  [
    '.attribute',
    {
      doc: '`.attribute tag, value` (as gcc -S emits: arch, unaligned_access, stack_align, priv_spec*, or a number): accepted and ignored; no .riscv.attributes section is written',
      run(_a, d) {
        count(d, 2, 2);
        const tag = d.args[0]!;
        if (tag.kind === 'expr' && tag.e.k === 'sym' && !ATTRIBUTE_TAGS.has(tag.e.name)) {
          throw new LineError(tag.col, `unknown attribute '${tag.e.name}'`);
        }
        if (tag.kind !== 'expr') throw new LineError(tag.col, '.attribute: expected a tag name or number');
      },
    },
  ],
  [
    '.local',
    {
      doc: '`.local name, ...`: the symbols stay out of the global symbol table',
      run: (a, d) => eachSymbol(d, (name) => a.globals.delete(name)),
    },
  ],
  [
    '.weak',
    {
      doc: '`.weak name, ...`: global symbols with weak binding; a branch to one is always relaxed, as GNU as does',
      run: (a, d) => eachSymbol(d, (name) => a.weak.add(name)),
    },
  ],
  [
    '.hidden',
    {
      doc: '`.hidden name, ...`: accepted and ignored (an executable has no dynamic symbols)',
      run: (a, d) => d.args.forEach((arg) => symbolName(arg, d)),
    },
  ],
  ['.fill', fill],
  ['.error', message('error')],
  ['.warning', message('warning')],
  [
    '.equiv',
    {
      doc: '`.equiv name, expr`: like .equ, but an error when name is already defined',
      run(a, d) {
        count(d, 2, 2);
        const name = symbolName(d.args[0], d);
        if (a.pass === 1 && a.symbols.has(name)) throw new LineError(d.args[0]!.col, `symbol '${name}' is already defined`);
        equ.run(a, d);
      },
    },
  ],
  ['.comm', common],
  ['.lcomm', common],
  ['.file', { doc: '`.file "name"`: accepted and ignored', run: (_a, d) => count(d, 1, 2) }],
  ['.ident', { doc: '`.ident "text"`: accepted and ignored', run: (_a, d) => count(d, 1, 1) }],
  ['.type', { doc: '`.type name, @function|@object`: accepted and ignored', run: (_a, d) => count(d, 2, 2) }],
  ['.size', { doc: '`.size name, expr`: accepted and ignored', run: (_a, d) => count(d, 2, 2) }],
  [
    '.insn',
    {
      doc: "a raw instruction: `.insn value`, `.insn 4, value`, or by format with GNU as's operand orders: `.insn r opcode, func3, func7, rd, rs1, rs2`, `.insn i opcode, func3, rd, rs1, imm` (or `rd, imm(rs1)`), `.insn s opcode, func3, rs2, imm(rs1)`, `.insn b opcode, func3, rs1, rs2, label`, `.insn u opcode, rd, imm`, `.insn j opcode, rd, label`",
      run(a, d) {
        count(d, 1, 2);
        if (d.args.length === 2 && optConst(a, d, 0, 'length') !== 4)
          throw new LineError(d.args[0]!.col, '.insn: only 4-byte instructions exist');
        const { e, col } = expr(d.args[d.args.length - 1], d, 'a value');
        a.word(() => {
          const v = a.value(e);
          if (v < 0n || v > 0xffffffffn || (v & 3n) !== 3n)
            throw new LineError(col, `.insn: 0x${v.toString(16)} is not a 32-bit instruction`);
          return Number(v);
        }, col);
      },
    },
  ],
]);

function globl(a: Asm, d: DirBody): void {
  eachSymbol(d, (name) => a.globals.add(name));
}

export function runDirective(a: Asm, d: DirBody): void {
  const dir = DIRECTIVES.get(d.name);
  if (!dir) throw new LineError(d.col, `unknown directive '${d.name}'`);
  dir.run(a, d);
}
