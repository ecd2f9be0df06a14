/** The assembler's behaviour: layout, symbols, labels, expressions, data, pseudo-instructions, warnings. */
import { describe, expect, it } from 'vitest';
import { assemble, toBinary } from '../../src/asm/assembler.js';
import { Disassembler, disassemble } from '../../src/asm/disasm.js';

const words = (bytes: Uint8Array): number[] => {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length >> 2 }, (_, i) => v.getUint32(4 * i, true));
};
/** The text section of a program, disassembled in order without symbols. */
const listing = (source: string): string[] => {
  const d = new Disassembler();
  return words(assemble(source).sections[0]!.bytes!).map((w, i) => d.text(w, 0x80000000 + 4 * i));
};

describe('assemble', () => {
  it('lays out .text, .rodata, .data and .bss from RAM_BASE and starts at _start', () => {
    const r = assemble(`
        .text
        nop
        .globl _start
_start: j _start
        .section .rodata
ro:     .byte 1
        .data
        .align 3
d:      .word 2
        .bss
b:      .zero 16
`);
    expect(r.sections.map((s) => [s.name, s.addr.toString(16), s.size, s.align])).toEqual([
      ['.text', '80000000', 8, 4],
      ['.rodata', '80000008', 1, 1],
      ['.data', '80000010', 4, 8],
      ['.bss', '80000014', 16, 1],
    ]);
    expect(r.image.entry).toBe(0x80000004);
    expect(r.image.segments.map((s) => [s.addr.toString(16), s.bytes.length, s.zeroFill])).toEqual([
      ['80000000', 8, undefined],
      ['80000008', 1, undefined],
      ['80000010', 4, undefined],
      ['80000014', 0, 16],
    ]);
    expect(r.image.symbols).toEqual([
      { name: '_start', addr: 0x80000004 },
      { name: 'ro', addr: 0x80000008 },
      { name: 'd', addr: 0x80000010 },
      { name: 'b', addr: 0x80000014 },
    ]);
    expect(r.symbols.find((s) => s.name === '_start')).toEqual({ name: '_start', value: 0x80000004, section: '.text', global: true });
    expect(toBinary(r)).toEqual(Uint8Array.from([0x13, 0, 0, 0, 0x6f, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]));
  });

  it('starts at the beginning of .text without _start', () => {
    expect(assemble('.data\n.word 1\n.text\nnop').image.entry).toBe(0x80000000);
  });

  it('resolves numeric local labels backwards and forwards', () => {
    expect(listing('1: nop\n1: j 1b\nj 1f\n1: j 1b')).toEqual(['nop', 'j\t0x80000004', 'j\t0x8000000c', 'j\t0x8000000c']);
  });

  it('gives .set symbols their value at each use and .equ forward references their final value', () => {
    const r = assemble('.data\n.set n, 1\n.word n\n.set n, n + 1\n.word n, later\n.equ later, 7');
    expect(words(r.sections[2]!.bytes!)).toEqual([1, 2, 7]);
    expect(r.symbols.filter((s) => s.section === '*ABS*')).toEqual([
      { name: 'n', value: 2, section: '*ABS*', global: false },
      { name: 'later', value: 7, section: '*ABS*', global: false },
    ]);
  });

  it('evaluates expressions with GNU as precedence and 64-bit arithmetic', () => {
    const r = assemble('.data\n.word 1 + 2 * 3 | 4, 1 << 2 + 1, -7 / 2, -7 % 2, -1 >> 60, 3 < 4, !5, 6 !2, ~0 ^ 1, (1 + 2) * 3');
    expect(words(r.sections[2]!.bytes!).map((w) => w | 0)).toEqual([7, 5, -3, -1, 15, -1, 0, -1, -2, 9]);
  });

  it('decodes string escapes and characters', () => {
    const r = assemble('.data\n.ascii "a\\n\\t\\"\\\\\\101\\x41\\q", "é"\n.byte \'z\', \'\\n\'\n.asciz ""');
    expect([...r.sections[2]!.bytes!]).toEqual([0x61, 10, 9, 0x22, 0x5c, 0x41, 0x41, 0x71, 0xc3, 0xa9, 0x7a, 10, 0]);
  });

  it('expands li as GNU as does', () => {
    expect(listing('li a0, 5\nli a0, 0x12345678\nli a0, 0x12345000\nli a0, 0xffffffff\nli a0, 0x7ffff800')).toEqual([
      'li\ta0,5',
      'lui\ta0,0x12345',
      'add\ta0,a0,1656 # 0x12345678',
      'lui\ta0,0x12345',
      'li\ta0,-1',
      'lui\ta0,0x80000',
      'add\ta0,a0,-2048 # 0x7ffff800',
    ]);
  });

  it('expands la, call and tail pc-relatively', () => {
    expect(listing('la a0, x\ncall x\ntail x\nx: ret')).toEqual([
      'auipc\ta0,0x0',
      'add\ta0,a0,24 # 0x80000018',
      'auipc\tra,0x0',
      'jalr\t16(ra) # 0x80000018',
      'auipc\tt1,0x0',
      'jr\t8(t1) # 0x80000018',
      'ret',
    ]);
  });

  it('resolves %pcrel_lo through the auipc at its label, even after it', () => {
    expect(listing('j 2f\n1: addi a0, a0, %pcrel_lo(2f)\n2: auipc a0, %pcrel_hi(x)\nx: nop')).toEqual([
      'j\t0x80000008',
      'add\ta0,a0,4',
      'auipc\ta0,0x0',
      'nop',
    ]);
    expect(listing('lui a0, %hi(0x12345fff)\naddi a0, a0, %lo(0x12345fff)')).toEqual(['lui\ta0,0x12346', 'add\ta0,a0,-1 # 0x12345fff']);
  });

  it('pads code with nops and data with zeros or the fill byte', () => {
    // .align 3 after one byte: a zero byte, a c.nop, a nop; the section then ends padded to 8 with a nop.
    expect(toBinary(assemble('.byte 1\n.align 3\nnop'))).toEqual(
      Uint8Array.from([1, 0, 1, 0, 0x13, 0, 0, 0, 0x13, 0, 0, 0, 0x13, 0, 0, 0]),
    );
    // Alignments of 4 or less do nothing in code (GNU as): the nop stays at offset 1.
    expect(toBinary(assemble('.byte 1\n.align 2\nnop'))).toEqual(Uint8Array.from([1, 0x13, 0, 0, 0, 0, 1, 0]));
    expect(toBinary(assemble('.data\n.byte 1\n.balign 4, 0xee\n.byte 2\n.p2align 2\n.byte 3'))).toEqual(
      Uint8Array.from([1, 0xee, 0xee, 0xee, 2, 0, 0, 0, 3]),
    );
    expect(toBinary(assemble('.data\n.byte 1\n.balign 8, 0, 3\n.byte 2'))).toEqual(Uint8Array.from([1, 2]));
  });

  it('accepts several statements per line, comments of both kinds and CRLF line ends', () => {
    expect(listing('nop ; /* one\n two */ ret # end\r\nnop /* x */ ; nop')).toEqual(['nop', 'ret', 'nop', 'nop']);
  });

  it('keeps .L and numeric labels out of the symbol table', () => {
    expect(assemble('.Lx: nop\n1: nop\ny: nop').symbols.map((s) => s.name)).toEqual(['y']);
  });

  it('warns when data does not fit, as GNU as does, and keeps the low bits', () => {
    const r = assemble('.data\n.byte 256, -129, -128\n.half 0x12345', { file: 'w.s' });
    expect([...r.sections[2]!.bytes!]).toEqual([0, 0x7f, 0x80, 0x45, 0x23]);
    expect(r.warnings).toEqual([
      'w.s:2:7: warning: value 0x100 truncated to 0x0\n.byte 256, -129, -128\n      ^',
      'w.s:3:7: warning: value 0x12345 truncated to 0x2345\n.half 0x12345\n      ^',
    ]);
  });

  it('assembles Xshadow instructions and CSRs by name', () => {
    expect(listing('addv a0, a1, a2\ndrain\nio a0, a1\nhalt a0\ncsrw xtimer, a0')).toEqual([
      'addv\ta0,a1,a2',
      'drain',
      'io\ta0,a1',
      'halt\ta0',
      'csrw\txtimer,a0',
    ]);
  });

  it('accepts the .attribute lines gcc -S emits and writes no bytes for them', () => {
    expect(
      listing(
        '.attribute arch, "rv32i2p1_m2p0_zicsr2p0"\n.attribute unaligned_access, 0\n.attribute stack_align, 16\n.attribute 5, "rv32i"\nnop',
      ),
    ).toEqual(['nop']);
  });

  it('allocates .local/.comm and .lcomm in .bss at that point, aligned, from any section', () => {
    const r = assemble(
      '.bss\nfirst: .zero 1\n.text\n.local buf\n.comm buf, 128, 4\n.lcomm one, 1\n.comm wide, 8, 8\nla a0, buf\n.data\n.word one',
    );
    const at = (n: string) => r.symbols.find((s) => s.name === n);
    const bss = r.sections.find((s) => s.name === '.bss')!;
    expect([at('buf')!.value - bss.addr, at('one')!.value - bss.addr, at('wide')!.value - bss.addr]).toEqual([4, 132, 136]);
    expect(at('buf')!.section).toBe('.bss');
    expect(bss.size).toBe(144);
  });

  it("assembles the project's runtime start-up code", () => {
    const r = assemble(
      '.section .text.init, "ax", @progbits\n.globl _start\n_start:\n.option push\n.option norelax\nla gp, gp_sym\n.option pop\n.insn i 0x2b, 1, x0, a0, 0\n.data\ngp_sym: .word 0',
    );
    expect(
      words(r.sections[0]!.bytes!)
        .map((w) => disassemble(w, 0))
        .slice(2),
    ).toEqual(['halt\ta0']);
  });

  it('relaxes a conditional branch out of reach, to another section, an external or a weak symbol (GNU as)', () => {
    expect(listing('x: beq a0, a1, x + 5000\nbltz a0, . + 4094\nbgt a0, a1, . - 4100')).toEqual([
      'bne\ta0,a1,0x80000008',
      'j\t0x80001388',
      'bltz\ta0,0x80001006',
      'bge\ta1,a0,0x80000014',
      'j\t0x7ffff008',
    ]);
    const ext = assemble('beq a0, a1, far_away\nbnez a0, other\nbeqz a0, w\n.weak w\nw: nop\n.section .text.b\nother: ret', {
      externs: new Map([['far_away', 0x80000100]]),
    });
    expect(
      words(ext.sections[0]!.bytes!)
        .slice(0, 6)
        .map((w, i) => disassemble(w, 0x80000000 + 4 * i)),
    ).toEqual(['bne\ta0,a1,0x80000008', 'j\t0x80000100', 'beqz\ta0,0x80000010', 'j\t0x8000001c', 'bnez\ta0,0x80000018', 'j\t0x80000018']);
  });

  it('grows a branch that only falls out of reach when branches between it and its target grew', () => {
    const far = Array.from({ length: 3 }, () => 'beq a0, a1, end').join('\n');
    const size = (pad: number): number =>
      assemble(`beq a2, a3, edge\n${far}\n.space ${pad}\nedge: nop\n.space 4096\nend: nop`).sections[0]!.size - pad;
    // edge is 4 + 12 + pad bytes away while the three are short, 4 + 24 + pad once they are long.
    expect(size(4060)).toBe(4 + 24 + 4 + 4096 + 4);
    expect(size(4080)).toBe(8 + 24 + 4 + 4096 + 4);
  });

  it('marks .weak symbols global and weak', () => {
    const r = assemble('.weak w\nw: nop\n.globl g\ng: nop');
    expect(r.symbols.filter((s) => s.name === 'w' || s.name === 'g').map((s) => [s.name, s.global, s.weak ?? false])).toEqual([
      ['w', true, true],
      ['g', true, false],
    ]);
  });

  it('reads 64-bit literals as GNU as (0xffffffffffffffff is -1), standard CSR names and scall/sbreak', () => {
    expect(listing('li x15, 0xffffffffffffffff\ncsrr a0, satp\ncsrw pmpcfg0, a0\ncsrr a1, mcounteren\nscall\nsbreak')).toEqual([
      'li\ta5,-1',
      'csrr\ta0,satp',
      'csrw\tpmpcfg0,a0',
      'csrr\ta1,mcounteren',
      'ecall',
      'ebreak',
    ]);
  });

  it('.fill writes repeat copies of a value in size bytes (beyond four, zeros)', () => {
    const r = assemble('.data\n.fill 2, 2, 0x1234\n.fill 1, 8, 0x89abcdef\n.fill 1');
    expect(Buffer.from(r.sections[2]!.bytes!).toString('hex')).toBe('34123412efcdab890000000000');
  });
});
