/**
 * Bounds probes: the hostile guests of issue 17 run through bin/shadowvm.js at the commands' DEFAULT
 * budgets (no --max-instructions), each in a process with the campaign's time limit and heap ceiling.
 * A guest that never halts must end on its budget within the limit, with a clear message; a guest that
 * writes 15 MiB must stay under the ceiling. Not seeded: the same probes every run.
 */
import type { TortureInput } from './inputs.js';

const encoder = new TextEncoder();

const LOOP = `  .text\n  .globl _start\n_start:\n  j _start\n`;

const TRAP_RECURSION = `  .text\n  .globl _start\n_start:\n  la t0, handler\n  csrw mtvec, t0\n  ecall\nhandler:\n  ecall\n`;

/** A guest that sets up its completion ring (8 records) and then runs `code`; `data` follows the ring. */
const withRing = (code: string, data: string): string => `  .text
  .globl _start
_start:
  la t0, ring
  csrw xioq, t0
  li t0, 8
  csrw xioqn, t0
${code}  .data
  .balign 64
ring: .space 256
${data}`;

const CONNECT_FLOOD = withRing(
  `  la t1, iorb
again:
  io a1, t1
  j again
`,
  `iorb: .word 1, 0, 7, 0, 0, 0, 0, 0
`,
);

/** One console WRITE of 15 MiB (RAM is 16 MiB by default), then halt once its record is in. */
const BIG_WRITE = withRing(
  `  la t1, connect
  io a1, t1
  la t1, write
  io a1, t1
  la t2, ring
wait:
  lw t3, 4(t2)
  li t4, 2
  bltu t3, t4, wait
  li a0, 0
  halt a0
`,
  `connect: .word 1, 0, 1, 0, 0, 0, 0, 0
write: .word 3, 0, 2, 0x80000000, 0xF00000, 0, 0, 0
`,
);

const GUESTS: Record<string, string> = {
  loop: LOOP,
  'trap-recursion': TRAP_RECURSION,
  'connect-flood': CONNECT_FLOOD,
  'big-write': BIG_WRITE,
};

/** [guest, command line after the program]. */
const LINES: readonly (readonly [string, readonly string[]])[] = [
  ['loop', ['run']],
  ['loop', ['pair']],
  ['loop', ['demo']],
  ['loop', ['step', '--script', 'c']],
  ['loop', ['step', '--script', 'g 0x0']],
  ['trap-recursion', ['demo']],
  ['trap-recursion', ['pair']],
  ['connect-flood', ['demo']],
  ['connect-flood', ['pair']],
  ['big-write', ['run']],
  ['big-write', ['pair']],
  ['big-write', ['fuzz', '--runs', '2', '--workers', '1']],
];

/** Every probe, as an input (index: its place in the list). */
export function probes(): TortureInput[] {
  return LINES.map(([guest, line], index) => ({
    seed: 0,
    index,
    kind: 'probe' as const,
    files: [{ name: `${guest}.s`, bytes: encoder.encode(GUESTS[guest]!) }],
    argv: [line[0]!, '@0', ...line.slice(1)],
  }));
}
