/**
 * Assembler directives: sections, symbols, data, alignment, options and `.insn`. Each entry says in
 * its `doc` what it accepts; isa/ISA.md lists them from here.
 */
import { packB, packI, packJ, packRd, packRs1, packRs2, packS } from '../../isa/formats.js';
import type { Body, DirArg, Expr } from './ast.js';
import type { Asm } from './context.js';
import { LineError } from './parse.js';
import { imm, memBase, memOffset, reg, target } from './operands.js';
import { asImm, asMem } from './forms.js';

type DirBody = Body & { kind: 'dir' };
interface Directive {
  readonly doc: string;
  run(a: Asm, d: DirBody): void;
}

function expr(arg: DirArg | undefined, d: DirBody, what: string): { e: Expr; col: number } {
  if (arg?.kind !== 'expr') throw new LineError(arg?.col ?? d.end, `${d.name}: expected ${what}`);
  return { e: arg.e, col: arg.col };
}

function symbolName(arg: DirArg | undefined, d: DirBody): string {
  if (arg?.kind === 'expr' && arg.e.k === 'sym') return arg.e.name;
  throw new LineError(arg?.col ?? d.end, `${d.name}: expected a symbol name`);
}

function count(d: DirBody, min: number, max: number): void {
  if (d.args.length < min || d.args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new LineError(d.col, `wrong number of operands for '${d.name}': expected ${expected}, found ${d.args.length}`);
  }
}

/** Optional numeric argument (absent or empty gives undefined); must be known in pass 1. */
function optConst(a: Asm, d: DirBody, i: number, what: string): number | undefined {
  const arg = d.args[i];
  if (arg === undefined || arg.kind === 'empty') return undefined;
  const { e, col } = expr(arg, d, what);
  return Number(a.constant(e, col, `the ${what} of ${d.name}`));
}

function integers(width: number): Directive {
  return {
    doc: `${width}-byte little-endian values (truncated with a warning when they do not fit, as GNU as)`,
    run(a, d) {
      for (const arg of d.args) {
        const { e, col } = expr(arg, d, 'an expression');
        if (a.cur.nobits) throw new LineError(col, `data is not allowed in ${a.cur.name} (use .zero or .space)`);
        a.dotOff = a.cur.off;
        a.data(width, () => {
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

function strings(zero: boolean): Directive {
  return {
    doc: zero ? 'strings, each followed by a NUL byte' : 'strings, without a terminating NUL',
    run(a, d) {
      for (const arg of d.args) {
        if (arg.kind !== 'string') throw new LineError(arg.col, `${d.name}: expected a string`);
        if (a.cur.nobits) throw new LineError(arg.col, `data is not allowed in ${a.cur.name} (use .zero or .space)`);
        a.bytes(arg.bytes);
        if (zero) a.fill(1, 0);
      }
    },
  };
}

const space: Directive = {
  doc: '`.space n[, fill]`: n bytes of `fill` (default 0)',
  run(a, d) {
    count(d, 1, 2);
    const n = optConst(a, d, 0, 'size')!;
    const fill = optConst(a, d, 1, 'fill') ?? 0;
    if (n < 0) {
      a.warn(d.args[0]!.col, `${d.name} size ${n} is negative, ignored`);
      return;
    }
    if (fill !== 0 && a.cur.nobits) throw new LineError(d.args[1]!.col, `data is not allowed in ${a.cur.name}`);
    a.fill(n, fill & 0xff);
  },
};

function alignment(bytes: boolean): Directive {
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

const common: Directive = {
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

const fill: Directive = {
  doc: '`.fill repeat[, size[, value]]`: `repeat` copies of `value` (default 0) in `size` bytes (default 1, at most 8; bytes past the fourth are 0, as GNU as)',
  run(a, d) {
    count(d, 1, 3);
    const repeat = optConst(a, d, 0, 'repeat count')!;
    const size = optConst(a, d, 1, 'size') ?? 1;
    const arg = d.args[2];
    if (repeat < 0) {
      a.warn(d.args[0]!.col, `${d.name} repeat count ${repeat} is negative, ignored`);
      return;
    }
    if (size < 0) throw new LineError(d.args[1]!.col, `${d.name} size ${size} is negative`);
    const width = Math.min(size, 8);
    if (repeat === 0 || width === 0) return;
    const value = arg === undefined || arg.kind === 'empty' ? undefined : expr(arg, d, 'a value');
    if (value && a.cur.nobits) throw new LineError(value.col, `data is not allowed in ${a.cur.name} (use .zero or .space)`);
    for (let i = 0; i < repeat; i++) {
      a.dotOff = a.cur.off;
      a.data(width, () => (value ? BigInt.asUintN(32, a.value(value.e)) : 0n));
    }
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
      run(a, d) {
        if (d.args.length === 0) throw new LineError(d.end, `${d.name}: expected a symbol name`);
        for (const arg of d.args) a.globals.delete(symbolName(arg, d));
      },
    },
  ],
  [
    '.weak',
    {
      doc: '`.weak name, ...`: global symbols with weak binding; a branch to one is always relaxed, as GNU as does',
      run(a, d) {
        if (d.args.length === 0) throw new LineError(d.end, `${d.name}: expected a symbol name`);
        for (const arg of d.args) a.weak.add(symbolName(arg, d));
      },
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
  if (d.args.length === 0) throw new LineError(d.end, `${d.name}: expected a symbol name`);
  for (const arg of d.args) a.globals.add(symbolName(arg, d));
}

export function runDirective(a: Asm, d: DirBody): void {
  const dir = DIRECTIVES.get(d.name);
  if (!dir) throw new LineError(d.col, `unknown directive '${d.name}'`);
  dir.run(a, d);
}

/** `.insn r|i|s|b|u|j ...` with GNU as's operand orders. */
export function runInsnFormat(a: Asm, body: Body & { kind: 'insnDir' }): void {
  const o = body.ops;
  const want = (n: number): void => {
    if (o.length !== n)
      throw new LineError(body.col, `wrong number of operands for '.insn ${body.format}': expected ${n}, found ${o.length}`);
  };
  const field = (i: number, max: number, what: string): number => {
    const op = asImm(o[i]!);
    if (op.kind !== 'expr') throw new LineError(op.col, `.insn: bad ${what}`);
    const v = Number(a.constant(op.e, op.col, `the ${what} of .insn`));
    if (v < 0 || v > max) throw new LineError(op.col, `.insn: ${what} ${v} out of range 0..${max}`);
    return v;
  };
  const opcode = (): number => {
    const v = field(0, 127, 'opcode');
    if ((v & 3) !== 3) throw new LineError(o[0]!.col, `.insn: opcode 0x${v.toString(16)} is not a 32-bit opcode`);
    return v;
  };
  const emit = (make: () => number): void => a.word(() => make() >>> 0, body.col);
  switch (body.format) {
    case 'r': {
      want(6);
      const w =
        opcode() |
        (field(1, 7, 'func3') << 12) |
        ((field(2, 127, 'func7') << 25) >>> 0) |
        packRd(reg(o[3]!)) |
        packRs1(reg(o[4]!)) |
        packRs2(reg(o[5]!));
      return emit(() => w);
    }
    case 'i': {
      if (o.length === 4) {
        const w = opcode() | (field(1, 7, 'func3') << 12) | packRd(reg(o[2]!));
        const m = asMem(o[3]!);
        const rs1 = memBase(m);
        return emit(() => w | packRs1(rs1) | packI(memOffset(a, m, 'i')));
      }
      want(5);
      const w = opcode() | (field(1, 7, 'func3') << 12) | packRd(reg(o[2]!)) | packRs1(reg(o[3]!));
      return emit(() => w | packI(imm(a, asImm(o[4]!), 'i')));
    }
    case 's': {
      want(4);
      const w = opcode() | (field(1, 7, 'func3') << 12) | packRs2(reg(o[2]!));
      const m = asMem(o[3]!);
      const rs1 = memBase(m);
      return emit(() => w | packRs1(rs1) | packS(memOffset(a, m, 's')));
    }
    case 'b':
    case 'sb': {
      want(5);
      const w = opcode() | (field(1, 7, 'func3') << 12) | packRs1(reg(o[2]!)) | packRs2(reg(o[3]!));
      return emit(() => w | packB(target(a, o[4]!, 'b')));
    }
    case 'u': {
      want(3);
      const w = opcode() | packRd(reg(o[1]!));
      return emit(() => w | ((imm(a, asImm(o[2]!), 'u') << 12) >>> 0));
    }
    case 'j':
    case 'uj': {
      want(3);
      const w = opcode() | packRd(reg(o[1]!));
      return emit(() => w | packJ(target(a, o[2]!, 'j')));
    }
  }
  throw new LineError(body.formatCol, `.insn: unknown format '${body.format}' (use r, i, s, b, u or j)`);
}
