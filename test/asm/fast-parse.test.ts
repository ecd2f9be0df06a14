/**
 * The parser's fast path (src/asm/fast-parse.ts) gives exactly the grammar's statements, columns
 * included, for every line it takes: checked on every line of the corpus, of the project's assembly,
 * of gcc's output for the C programs, and on lines chosen to sit at its edges.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCompiler, TOOL_PREFIX } from '../toolchain.js';
import { GUEST_CFLAGS, ROOT } from '../../scripts/build-programs.js';
import { LineError } from '../../src/asm/line-error.js';
import { parseLineFast, parseLineWithGrammar } from '../../src/asm/parse.js';

const sFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.s'))
    .map((f) => join(ROOT, dir, f));
const handWritten = [...sFiles('test/asm/corpus'), ...sFiles('programs'), ...sFiles('programs/runtime')].flatMap((f) =>
  readFileSync(f, 'utf8').split('\n'),
);

const EDGES = [
  'nop',
  'ret',
  'x:',
  '1:',
  'a: b: nop',
  '1: j 1b',
  'beqz a0, 2f',
  '  lw a0, 0(sp)',
  'lw a0, -4(sp)',
  'lw a0, (sp)',
  'sw a0, %lo(x)(a1)',
  'lui a0, %hi(sym)',
  'auipc a0, %pcrel_hi(sym)',
  'addi a0, a0, %pcrel_lo(1b)',
  'li a0, 0xffffffffffffffff',
  'li a0, -0x8000000000000000',
  'li a0, 012',
  'li a0, 09',
  'li a0, 99999999999999999999',
  'addi a0, a0, -0',
  '.word 1, -2, 0x10, sym',
  '.word',
  '.text',
  '.align 2',
  '.size f, .-f',
  '.type f, @function',
  '.section .text.f,"ax",@progbits',
  '.string "a\\"b,c"',
  '.ascii "x\\\\"',
  '.string "open',
  '.string "a" "b"',
  '.asciz ""',
  '.ident "GCC: (x) 12"',
  '.insn r 0x0b, 0, 0, a0, a1, a2',
  'x: .insn i 0x13, 0, a0, a1, -5',
  '.insn s 0x23, 2, a0, 4(sp)',
  '.insn r',
  '.insn',
  '.insn  r0x0b',
  '.insn r,1',
  '.insn 0x13',
  '.insn r 0x0b, 0, 0, a0, a1, a2 + 1',
  '.string "a;b=c\'d"',
  '.ascii "x = 1; y = 2;\\n"',
  '.string "a;" ; nop',
  '.string "=" = 1',
  '.string "a\\"',
  '.string "a\\" "b"',
  '.string "x\'y"',
  "x = '\"'",
  'x = 5',
  'a;b',
  "li a0, 'a'",
  '.word 1 2',
  'add a0 a1',
  'lw a0, 4 (sp)',
  'frob',
  'addi a0, a0, 1 + 2',
  '$x: nop',
  '._x 1',
  '.4byte 7',
  'jal 0x80000000',
  'call .L5',
  'lui a0, %hi(x+8)',
  'addi a0, a0, %lo(x-4)(a1)',
  'sw a0, %lo(x+0x10)(a1)',
  '.word data3+4, d-1',
  '.asciz "string 5"',
  'la a0, sym+0x10',
  'lw a0, sym+4(a1)',
  'addi a0, a0, x+-1',
  '.word x+1+2',
  'li a0, 5-3',
  '.word -5',
  '.word\t-1234, -0x10',
  'li a0,-5',
  'j -4',
  '.half-1',
  'mv a0,',
  ',',
  '.word ,',
  '.set x, 1',
  '	.file	"x.c"',
  '.option push',
  'csrr a0, mstatus  # comment',
  'nop /* c */ ',
];

function same(line: string): void {
  const fast = parseLineFast(line);
  if (fast === undefined) return;
  let slow: unknown;
  try {
    slow = parseLineWithGrammar(line);
  } catch (err) {
    if (!(err instanceof LineError)) throw err;
    slow = `error: ${err.message}`;
  }
  expect(fast, line).toEqual(slow);
}

describe('the parser fast path', () => {
  it('agrees with the grammar on edge lines', () => {
    for (const line of EDGES) same(line);
    expect(EDGES.filter((l) => parseLineFast(l) !== undefined).length).toBeGreaterThan(25);
    // gcc's strings (with `;` and `=` inside) and `.insn` go the fast way too.
    for (const line of ['.insn r 0x0b, 0, 0, a0, a1, a2', '\t.string\t"n = 1; c = 0;\\n"', '.ascii "a=\'b\'"']) {
      expect(parseLineFast(line), line).toBeDefined();
    }
  });

  it('agrees with the grammar on every hand-written line of the project', () => {
    for (const line of handWritten) same(line);
  });

  it.skipIf(!hasCompiler)(
    'agrees with the grammar on gcc -S output, and takes nearly all of it',
    () => {
      const lines = ['programs/c/interp.c', 'programs/runtime/kio.c'].flatMap((src) =>
        ['-O0', '-O2'].flatMap((level) =>
          execFileSync(TOOL_PREFIX + 'gcc', [...GUEST_CFLAGS.filter((f) => f !== '-O2'), level, '-S', src, '-o', '-'], {
            cwd: ROOT,
            encoding: 'utf8',
          }).split('\n'),
        ),
      );
      let taken = 0;
      for (const line of lines) {
        same(line);
        if (line.trim() !== '' && parseLineFast(line) !== undefined) taken++;
      }
      expect(taken / lines.filter((l) => l.trim() !== '').length).toBeGreaterThan(0.95);
    },
    60_000,
  );
});
