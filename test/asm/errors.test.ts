/** Every assembler error, pinned whole: `file:line:col: error: message`, the source line, a caret. */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { asmError } from './asm-error.js';

/** The message for a one-line program whose error is at column `col` (the caret is checked too). */
function oneLine(line: string, col: number, message: string): string {
  return `p.s:1:${col}: error: ${message}\n${line}\n${' '.repeat(col - 1)}^`;
}

describe('assembler errors', () => {
  const cases: [string, number, string][] = [
    ['foo a0, a1', 1, "unknown mnemonic 'foo'"],
    ['addi q0, a0, 1', 6, "bad register 'q0'"],
    ['lw a0, 4(q1)', 10, "bad register 'q1'"],
    ['add a0, a1, 5(a2)', 13, "bad register '5(a2)'"],
    ['addi a0, a1, 5(a2)', 14, "expected an immediate, found '5(a2)'"],
    ['addi a0, a0, 5000', 14, 'immediate 5000 out of range -2048..2047'],
    ['sw a0, -2049(sp)', 8, 'immediate -2049 out of range -2048..2047'],
    ['lui a0, 0x100000', 9, 'immediate 1048576 out of range 0..1048575'],
    ['slli a0, a0, 32', 14, 'immediate 32 out of range 0..31'],
    ['csrwi mstatus, 32', 16, 'immediate 32 out of range 0..31'],
    ['csrrw a0, 4096, a1', 11, 'CSR number 4096 out of range 0..4095'],
    ['li a0, 0x100000000', 8, 'immediate 4294967296 out of range -2147483648..4294967295'],
    ['j nowhere', 3, "undefined label 'nowhere'"],
    ['addi a0, a0, a2', 14, "expected an immediate, found register 'a2'"],
    ['j 1f', 3, "undefined local label '1f'"],
    ['.bogus 1', 1, "unknown directive '.bogus'"],
    ['.ascii "abc', 8, 'unterminated string'],
    ['.ascii "a\\"bc', 8, 'unterminated string'],
    ['addi a0, a0', 1, "wrong number of operands for 'addi': expected 3, found 2"],
    ['jalr a0, a1, 4, 5', 1, "wrong number of operands for 'jalr': expected 1, 2 or 3, found 4"],
    ['.equ x', 1, "wrong number of operands for '.equ': expected 2, found 1"],
    ['beq a0, a1, . + 3', 13, 'misaligned branch target 0x80000003'],
    ['jal 0x80000001', 5, 'misaligned jump target 0x80000001'],
    ['j 0x80200000', 3, 'jump offset 2097152 out of range -1048576..1048574'],
    ['csrr a0, nosuch', 10, "unknown CSR 'nosuch'"],
    ['li a0, %lo(x)', 8, '%lo is not allowed here'],
    ['addi a0, a0, %hi(x)', 14, '%hi is not allowed here'],
    ['fence rw, q', 11, "bad fence operand 'q'"],
    ['.option arch, +c', 9, '.option arch is not supported: the machine is rv32im_zicsr without compressed instructions'],
    ['.option pop', 9, '.option pop with no .option push'],
    ['.option fast', 9, "unknown option 'fast'"],
    ['.comm x, 4, 3', 13, 'alignment not a power of 2'],
    ['.comm x, -4', 10, '.comm size -4 is negative'],
    ['.local', 7, '.local: expected a symbol name'],
    ['.attribute frob, 1', 12, "unknown attribute 'frob'"],
    ['.attribute arch', 1, "wrong number of operands for '.attribute': expected 2, found 1"],
    [
      '.section .foo',
      10,
      "unsupported section '.foo' (use .text, .rodata, .srodata, .data, .sdata, .init_array, .bss, .sbss or their .name subsections)",
    ],
    ['.text 1', 7, '.text: subsections are not supported'],
    ['add a0, a1, a2 a3', 13, "bad operand 'a2 a3'"],
    ['lw a0, 4(a1', 8, "bad operand '4(a1'"],
    ['addi a0, a1,', 13, 'missing operand'],
    ['1 + 2', 1, "syntax error: expected end of input, found '1'"],
    ['.word 1 / 0', 9, 'division by zero'],
    ['.word 7 % (1 - 1)', 9, 'division by zero'],
    ['li a0, 09', 8, "bad octal number '09'"],
    ['.balign 3', 9, 'alignment not a power of 2'],
    ['.align 17', 8, 'alignment 17 out of range'],
    ['.fill 0x7fffffff, 4, 1', 7, '.fill of 8589934588 bytes is more than the 268435456 an image may have'],
    ['.zero x', 7, 'the size of .zero must be a constant known at this point'],
    ['.ascii 5', 8, '.ascii: expected a string'],
    ['.globl', 7, '.globl: expected a symbol name'],
    ['.insn r 0x0c, 0, 0, a0, a1, a2', 9, '.insn: opcode 0xc is not a 32-bit opcode'],
    ['.insn r 0x0b, 8, 0, a0, a1, a2', 15, '.insn: func3 8 out of range 0..7'],
    ['.insn q 0x0b', 7, ".insn: unknown format 'q' (use r, i, s, b, u or j)"],
    ['.insn 0x12', 7, '.insn: 0x12 is not a 32-bit instruction'],
  ];
  for (const [line, col, message] of cases) {
    it(message, () => expect(asmError(line)).toBe(oneLine(line, col, message)));
  }

  it('names the line of the error and keeps tabs in the caret line', () => {
    expect(asmError('nop\n\taddi\ta0, a0, 4096\n')).toBe(
      'p.s:2:15: error: immediate 4096 out of range -2048..2047\n\taddi\ta0, a0, 4096\n\t    \t        ^',
    );
  });

  it('reports a duplicate label with the line of the first', () => {
    expect(asmError('a: nop\nnop\na: nop')).toBe("p.s:3:1: error: duplicate label 'a' (first defined on line 1)\na: nop\n^");
  });

  it('reports every error of a pass together', () => {
    expect(asmError('foo\nnop\nbar a0')).toBe(
      "p.s:1:1: error: unknown mnemonic 'foo'\nfoo\n^\np.s:3:1: error: unknown mnemonic 'bar'\nbar a0\n^",
    );
  });

  it('points errors in the value of a symbol at its use', () => {
    expect(asmError('.equ x, y\n.word x')).toBe("p.s:2:7: error: undefined label 'y' (in the value of 'x')\n.word x\n      ^");
    expect(asmError('.equ x, y\n.equ y, x\n.word x')).toBe("p.s:3:7: error: symbol 'x' is defined in terms of itself\n.word x\n      ^");
  });

  it('checks symbols that nothing uses, at their definition', () => {
    expect(asmError('A = A')).toBe("p.s:1:1: error: symbol 'A' is defined in terms of itself\nA = A\n^");
    expect(asmError('.equ X, nothere')).toBe("p.s:1:6: error: undefined label 'nothere' (in the value of 'X')\n.equ X, nothere\n     ^");
  });

  it('requires li values to be known where li is (as GNU as does)', () => {
    expect(asmError('li a0, later\nlater: nop')).toBe(
      'p.s:1:8: error: the value of li must be a constant known at this point\nli a0, later\n       ^',
    );
  });

  it('finds no auipc for a %pcrel_lo label that is not on one', () => {
    expect(asmError('auipc a0, %pcrel_hi(x)\naddi a0, a0, %pcrel_lo(x)\nx:')).toBe(
      'p.s:2:14: error: %pcrel_lo: no auipc with %pcrel_hi at 0x80000008\naddi a0, a0, %pcrel_lo(x)\n             ^',
    );
  });

  it('keeps .bss free of contents', () => {
    expect(asmError('.bss\nnop')).toBe('p.s:2:1: error: instructions are not allowed in .bss\nnop\n^');
    expect(asmError('.bss\n.word 1')).toBe('p.s:2:7: error: data is not allowed in .bss (use .zero or .space)\n.word 1\n      ^');
    expect(asmError('.bss\n.space 4, 1')).toBe('p.s:2:11: error: data is not allowed in .bss\n.space 4, 1\n          ^');
  });

  it('reports the errors of both passes in one run, in source order', () => {
    expect(asmError('nop\naddi a0, a1, 5000\nfrob a0\nbeq a0, a1, nowhere\nlw a0, 4(q1)')).toBe(
      'p.s:2:14: error: immediate 5000 out of range -2048..2047\naddi a0, a1, 5000\n             ^\n' +
        "p.s:3:1: error: unknown mnemonic 'frob'\nfrob a0\n^\n" +
        "p.s:4:13: error: undefined label 'nowhere'\nbeq a0, a1, nowhere\n            ^\n" +
        "p.s:5:10: error: bad register 'q1'\nlw a0, 4(q1)\n         ^",
    );
  });

  it('prints the first 50 errors and counts the rest', () => {
    const lines = Array.from({ length: 57 }, (_, i) => `frob${i}`);
    const message = asmError(lines.join('\n'));
    const shown = message.split('\n');
    expect(shown).toHaveLength(50 * 3 + 1);
    expect(shown[0]).toBe("p.s:1:1: error: unknown mnemonic 'frob0'");
    expect(shown[147]).toBe("p.s:50:1: error: unknown mnemonic 'frob49'");
    expect(shown[150]).toBe('p.s: 7 more errors not shown (stopped after 50)');
  });

  it('warns that .option rvc makes no compressed instructions', () => {
    expect(assemble('.option rvc\nnop', { file: 'p.s' }).warnings).toEqual([
      'p.s:1:9: warning: .option rvc: the machine has no compressed instructions; full-size ones are generated\n.option rvc\n        ^',
    ]);
  });

  it('uses <input> when no file name is given', () => {
    expect(() => assemble('foo')).toThrow("<input>:1:1: error: unknown mnemonic 'foo'");
  });
});
