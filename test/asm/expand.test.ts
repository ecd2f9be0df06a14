/**
 * Macros, repetitions, conditions and includes (src/asm/expand.ts, src/asm/macros.ts): each construct
 * gives the same bytes as the plain source it stands for; errors inside a macro point at its use.
 * (test/asm/corpus/macros.s checks the same constructs against GNU as.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble, toBinary } from '../../src/asm/assembler.js';
import { asmError } from './asm-error.js';

const hex = (source: string, opts: Parameters<typeof assemble>[1] = {}): string =>
  Buffer.from(toBinary(assemble(source, opts))).toString('hex');

describe('macros', () => {
  it('substitutes parameters, defaults, keyword arguments and blank-separated arguments', () => {
    const m = '.macro st reg, slot=0\n sw \\reg, \\slot*4(sp)\n.endm\n';
    expect(hex(m + 'st a0\nst a1, 2\nst slot=3, reg=a2\nst a3 1')).toBe(hex('sw a0, 0(sp)\nsw a1, 8(sp)\nsw a2, 12(sp)\nsw a3, 4(sp)'));
  });

  it('numbers each expansion with \\@ and joins names with \\()', () => {
    const m = '.macro loop\nl\\@: j l\\@\n.endm\n.macro reg n\n mv a\\n\\(), zero\n.endm\n';
    expect(hex(m + 'loop\nloop\nreg 1')).toBe(hex('l0: j l0\nl1: j l1\nmv a1, zero'));
  });

  it('passes the rest to a :vararg parameter, and stops at .exitm', () => {
    const m = '.macro w first, rest:vararg\n .word \\first\n .ifnb \\rest\n .word \\rest\n .endif\n.endm\n';
    expect(hex(m + 'w 1\nw 2, 3, 4')).toBe(hex('.word 1\n.word 2\n.word 3, 4'));
    const e = '.macro e n\n.if \\n == 0\n.exitm\n.endif\naddi a0, a0, \\n\n.endm\n';
    expect(hex(e + 'e 0\ne 3\nnop')).toBe(hex('addi a0, a0, 3\nnop'));
  });

  it('expands macros inside macros, and forgets one after .purgem', () => {
    const m = '.macro one\n nop\n.endm\n.macro two\n one\n one\n.endm\ntwo\n.purgem one\n';
    expect(hex(m)).toBe(hex('nop\nnop'));
    expect(asmError(m + 'one')).toBe("p.s:10:1: error: unknown mnemonic 'one'\none\n^");
  });

  it('points an error inside a macro at its use, naming the macro and the body line', () => {
    const m = '.macro ld2 r, v\n  li \\r, \\v\n  addi \\r, \\r, 5000\n.endm\n  nop\nlab:  ld2 a1, 2\n';
    expect(asmError(m)).toBe(
      "p.s:6:7: error: immediate 5000 out of range -2048..2047 (in macro 'ld2', from p.s:3)\nlab:  ld2 a1, 2\n      ^",
    );
    const nested = '.macro outer\n  inner\n.endm\n.macro inner\n  frob\n.endm\n\touter\n';
    expect(asmError(nested)).toBe(
      "p.s:7:2: error: unknown mnemonic 'frob' (in macro 'inner', from p.s:5, in macro 'outer', from p.s:2)\n\touter\n\t^",
    );
  });

  it('checks the arguments of a use', () => {
    expect(asmError('.macro m a:req\n.endm\nm')).toBe("p.s:3:1: error: missing value for required parameter 'a' of macro 'm'\nm\n^");
    expect(asmError('.macro m\n.endm\nm 1')).toBe("p.s:3:1: error: too many arguments for macro 'm': it takes 0\nm 1\n^");
    expect(asmError('.macro m\nnop')).toBe('p.s:1:1: error: .macro without .endm\n.macro m\n^');
    expect(asmError('.endm')).toBe('p.s:1:1: error: .endm without a matching .macro\n.endm\n^');
    expect(asmError('.macro m\n.endm\n.macro m\n.endm')).toBe("p.s:3:1: error: macro 'm' is already defined (at p.s:1)\n.macro m\n^");
    expect(asmError('.macro m\n m\n.endm\nm')).toBe(
      "p.s:4:1: error: macros nested more than 100 deep (recursive macro 'm'?) (in macro 'm', from p.s:2, in macro 'm', from p.s:2, " +
        Array.from({ length: 98 }, () => "in macro 'm', from p.s:2").join(', ') +
        ')\nm\n^',
    );
  });
});

describe('repetitions', () => {
  it('.rept, .irp and .irpc, nested, with .set counting', () => {
    expect(hex('.set n, 0\n.rept 3\n.set n, n + 1\n.byte n\n.endr')).toBe(hex('.byte 1, 2, 3'));
    expect(hex('.irp r, a0, a1\nmv \\r, zero\n.endr')).toBe(hex('mv a0, zero\nmv a1, zero'));
    expect(hex('.irpc c, 12\n.byte \\c\\()0\n.endr')).toBe(hex('.byte 10, 20'));
    expect(hex('.irp x, 1, 2\n.rept 2\n.byte \\x\n.endr\n.endr')).toBe(hex('.byte 1, 1, 2, 2'));
    expect(hex('.rept 0\nfrob\n.endr\nnop')).toBe(hex('nop'));
  });

  it('rejects a bad count and a missing .endr', () => {
    expect(asmError('.rept -1\n.endr')).toBe('p.s:1:1: error: .rept count -1 out of range 0..1000000\n.rept -1\n^');
    expect(asmError('.rept 2\nnop')).toBe('p.s:1:1: error: .rept without .endr\n.rept 2\n^');
    expect(asmError('.endr')).toBe('p.s:1:1: error: .endr without a matching .rept, .irp or .irpc\n.endr\n^');
  });
});

describe('conditional assembly', () => {
  it('takes one branch of .if/.elseif/.else, in source order', () => {
    const pick = (level: number): string => hex(`L = ${level}\n.if L > 1\n.byte 1\n.elseif L > 0\n.byte 2\n.else\n.byte 3\n.endif`);
    expect([pick(2), pick(1), pick(0)]).toEqual([hex('.byte 1'), hex('.byte 2'), hex('.byte 3')]);
    expect(hex('.if 0\n.if 1\n.byte 1\n.else\n.byte 2\n.endif\n.else\n.byte 3\n.endif')).toBe(hex('.byte 3'));
  });

  it('.ifdef, .ifc, .ifb and the comparisons with zero', () => {
    expect(hex('x:\n.ifdef x\n.byte 1\n.endif\n.ifndef y\n.byte 2\n.endif')).toBe(hex('x: .byte 1\n.byte 2'));
    expect(hex('.ifc a,a\n.byte 1\n.endif\n.ifnc a,b\n.byte 2\n.endif\n.ifb\n.byte 3\n.endif\n.ifnb x\n.byte 4\n.endif')).toBe(
      hex('.byte 1, 2, 3, 4'),
    );
    expect(
      hex(
        '.ifeq 0\n.byte 1\n.endif\n.ifgt 1\n.byte 2\n.endif\n.iflt -1\n.byte 3\n.endif\n.ifle 0\n.byte 4\n.endif\n.ifge -1\n.byte 5\n.endif',
      ),
    ).toBe(hex('.byte 1, 2, 3, 4'));
  });

  it('reports an unknown value, a stray .endif/.else and an unclosed .if, all in one run', () => {
    expect(asmError('.if x\n.endif\nnop\n.if 0\n.else\n.else\n.endif\n.endif\n.if 1')).toBe(
      "p.s:1:5: error: 'x' has no constant value here (conditions are decided in source order)\n.if x\n    ^\n" +
        'p.s:6:1: error: .else after .else\n.else\n^\n' +
        'p.s:8:1: error: .endif without .if\n.endif\n^\n' +
        'p.s:9:1: error: end of file inside .if (1 not closed)\n.if 1\n^',
    );
  });

  it('.error and .warning report their text', () => {
    expect(asmError('.if 1\n.error "too big"\n.endif')).toBe('p.s:2:1: error: too big\n.error "too big"\n^');
    expect(assemble('.warning "careful"', { file: 'p.s' }).warnings).toEqual(['p.s:1:1: warning: careful\n.warning "careful"\n^']);
  });
});

describe('.include', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shadowvm-include-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'main.s'), 'nop\n.include "sub/b.s"\n.byte N\n');
  writeFileSync(join(dir, 'sub', 'b.s'), '.include "c.s"\naddi a0, a0, 1\n');
  writeFileSync(join(dir, 'sub', 'c.s'), 'N = 7\n');

  it('reads files relative to the including file', () => {
    const main = join(dir, 'main.s');
    expect(hex('nop\n.include "sub/b.s"\n.byte N\n', { file: main })).toBe(hex('nop\nN = 7\naddi a0, a0, 1\n.byte N'));
  });

  it('reports errors in the included file at its own lines, and a missing file at the .include', () => {
    const read = (p: string): string =>
      ({ 'x/inc.s': 'nop\nfrob\n' })[p] ??
      (() => {
        throw Object.assign(new Error('no'), { code: 'ENOENT' });
      })();
    expect(asmError('.include "inc.s"\n.include "gone.s"', { file: 'x/main.s', readFile: read })).toBe(
      "x/inc.s:2:1: error: unknown mnemonic 'frob'\nfrob\n^\nx/main.s:2:1: error: cannot read included file 'x/gone.s' (ENOENT)\n.include \"gone.s\"\n^",
    );
    expect(asmError('.include "self.s"', { file: 'self.s', readFile: () => '.include "self.s"' })).toContain(
      'error: .include nested more than 32 deep',
    );
  });
});

describe('debug and unwind directives', () => {
  it('accepts and drops .loc, .file N and .cfi_*', () => {
    const source =
      '.file 1 "x.c"\nf:\n.loc 1 2 3\n.cfi_startproc\naddi sp, sp, -16\n.cfi_def_cfa_offset 16\n.loc 1 4 5 is_stmt 0\nret\n.cfi_endproc';
    expect(hex(source)).toBe(hex('f:\naddi sp, sp, -16\nret'));
  });
});
