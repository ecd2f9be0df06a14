/**
 * Hostile guest programs, as assembly text: malformed IORBs, huge lengths, buffers across the end of
 * RAM, the completion ring at odd places with odd capacities, floods of operations whose records are
 * never consumed, random CSR writes (named and by raw number), self-modifying code, trap handlers that
 * trap, `wfi` with nothing to wake it, loops without end. Each program is a random sequence of such
 * pieces; the guest's behaviour is whatever it is, the host must survive it.
 */
import type { Random } from '../base/random.js';
import { RAM_BASE } from '../../isa/csrs.js';
import { chance, pick, word } from './values.js';

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

/** A CSR instruction (csrrw/csrrs/csrrc and the immediate forms) with any CSR number, as a raw word. */
export function csrWord(funct3: number, rd: number, rs1: number, csr: number): number {
  return ((csr & 0xfff) << 20) | ((rs1 & 31) << 15) | ((funct3 & 7) << 12) | ((rd & 31) << 7) | 0x73;
}

const NAMED_CSRS = [
  'mstatus',
  'mie',
  'mip',
  'mtvec',
  'mepc',
  'mcause',
  'mtval',
  'mscratch',
  'xtv1',
  'xtv2',
  'xioq',
  'xioqn',
  'xtimer',
  'misa',
  'mhartid',
  'cycle',
  'time',
  'instret',
  'seed',
];

/** Instruction words worth writing over code: halts, loops, traps, I/O, nonsense. */
const CODE_WORDS: readonly number[] = [
  0x00000013, // nop
  0x00150513, // addi a0, a0, 1
  0x0000006f, // j . (a loop of one instruction)
  0x00000073, // ecall
  0x00100073, // ebreak
  0x30200073, // mret
  0x10500073, // wfi
  0x0005102b, // custom-1 words (halt, io forms)
  0x0005a02b,
  0x0000400b, // custom-0 (drain form)
  0x00000000, // illegal
  0xffffffff, // illegal
];

interface Ctx {
  readonly rng: Random;
  /** The first address past RAM, for the RAM size the program will run with. */
  readonly ramEnd: number;
  readonly out: string[];
  label: number;
}

function fresh(c: Ctx, stem: string): string {
  return `${stem}_${c.label++}`;
}

/** Where an IORB or a buffer goes: inside the data area, misaligned, at or across the end of RAM, outside RAM. */
function address(c: Ctx, base: string): string {
  switch (c.rng.below(8)) {
    case 0:
      return hex(c.ramEnd - pick(c.rng, [4, 8, 16, 28, 32, 512]));
    case 1:
      return hex(word(c.rng));
    case 2:
      return `${base}+${c.rng.range(1, 3)}`;
    case 3:
      return hex(RAM_BASE);
    default:
      return `${base}+${32 * c.rng.below(32)}`;
  }
}

function li(c: Ctx, reg: string, value: string | number): void {
  c.out.push(typeof value === 'number' ? `  li ${reg}, ${hex(value)}` : `  la ${reg}, ${value}`);
}

function ring(c: Ctx): void {
  li(c, 't0', chance(c.rng, 0.5) ? 'ring' : address(c, 'ring'));
  c.out.push('  csrw xioq, t0');
  li(c, 't0', pick(c.rng, [0, 1, 2, 3, 4, 7, 8, 16, 1024, 1 << 20, 1 << 30, 0x80000000, 0xffffffff, word(c.rng)]));
  c.out.push('  csrw xioqn, t0');
}

function iorbField(c: Ctx, i: number): number | string {
  const r = c.rng;
  switch (i) {
    case 0:
      return chance(r, 0.8) ? r.range(1, 4) : word(r);
    case 1:
      return chance(r, 0.8) ? r.range(0, 1) : word(r);
    case 2:
      return word(r);
    case 3:
      return chance(r, 0.5) ? address(c, 'buf') : word(r);
    case 4:
      return pick(r, [0, 1, 8, 512, 1024, 4096, 0x7fffffff, 0xffffffff, 15 << 20, 16 << 20, word(r)]);
    case 5:
      return pick(r, [0, 512, 1 << 20, (1 << 20) - 512, 0x7ffffe00, 0xfffffe00, 3, word(r)]);
    default:
      return chance(r, 0.9) ? 0 : word(r);
  }
}

/** Fills an IORB somewhere (stores may themselves fault) and issues it, once or in a loop of K. */
function iorb(c: Ctx, flood: boolean): void {
  li(c, 't1', address(c, 'iorbs'));
  for (let i = 0; i < 8; i++) {
    const v = iorbField(c, i);
    li(c, 't0', v);
    c.out.push(`  sw t0, ${4 * i}(t1)`);
  }
  if (!flood) {
    c.out.push('  io a1, t1');
    return;
  }
  const top = fresh(c, 'flood');
  li(c, 's2', pick(c.rng, [17, 100, 1000, 5000, 20000]));
  c.out.push(`${top}:`, '  io a1, t1', '  addi s2, s2, -1', `  bnez s2, ${top}`);
}

/** A flood of CONNECTs on a device: every one is accepted and owes a record nobody reads. */
function connectFlood(c: Ctx): void {
  const top = fresh(c, 'connects');
  c.out.push('  la t1, iorbs', '  li t0, 1', '  sw t0, 0(t1)', `  li t0, ${c.rng.below(3)}`, '  sw t0, 4(t1)');
  li(c, 's2', pick(c.rng, [100, 5000, 50000]));
  c.out.push(`${top}:`, '  sw s2, 8(t1)', '  io a1, t1', '  addi s2, s2, -1', `  bnez s2, ${top}`);
}

/** A large console WRITE from RAM (the whole of it, or across its end). */
function bigWrite(c: Ctx): void {
  c.out.push('  la t1, iorbs', '  li t0, 1', '  sw t0, 0(t1)', '  sw zero, 4(t1)', '  io a1, t1', '  li t0, 3', '  sw t0, 0(t1)');
  li(c, 't0', pick(c.rng, [RAM_BASE, RAM_BASE + 0x1000, c.ramEnd - 0x100]));
  c.out.push('  sw t0, 12(t1)');
  li(c, 't0', pick(c.rng, [c.ramEnd - RAM_BASE - 0x100000, c.ramEnd - RAM_BASE - 0x1000, 1 << 20, 0x100, 0x200]));
  c.out.push('  sw t0, 16(t1)', '  io a1, t1');
}

function csrNamed(c: Ctx): void {
  const csr = pick(c.rng, NAMED_CSRS);
  li(c, 't0', csr === 'xtimer' ? pick(c.rng, [0, 1, 2, 1000, 0x7fffffff, 0xfffffffe, word(c.rng)]) : word(c.rng));
  c.out.push(`  ${pick(c.rng, ['csrw', 'csrs', 'csrc'])} ${csr}, t0`);
}

function csrRaw(c: Ctx): void {
  li(c, 't0', word(c.rng));
  const csr = chance(c.rng, 0.5)
    ? c.rng.below(4096)
    : pick(c.rng, [0x300, 0x304, 0x305, 0x341, 0x344, 0x7c0, 0x7c1, 0x7c2, 0x7c3, 0x7c4, 0x015, 0xc00, 0xc80, 0xf14]);
  const funct3 = pick(c.rng, [1, 2, 3, 5, 6, 7]);
  c.out.push(`  .word ${hex(csrWord(funct3, c.rng.below(32), funct3 >= 5 ? c.rng.below(32) : 5, csr))}`);
}

/** Writes a word over an instruction ahead (then runs it), or over the one just run (then loops back over it). */
function selfModify(c: Ctx): void {
  const target = fresh(c, 'smc');
  const w = chance(c.rng, 0.6) ? pick(c.rng, CODE_WORDS) : c.rng.nextU32();
  li(c, 't0', w);
  if (chance(c.rng, 0.5)) {
    c.out.push(`  la t2, ${target}`, '  sw t0, 0(t2)');
    if (chance(c.rng, 0.5)) c.out.push('  fence');
    c.out.push(`${target}:`, '  nop');
  } else {
    const again = fresh(c, 'again');
    c.out.push(
      `  li s3, ${c.rng.range(1, 3)}`,
      `${target}:`,
      '  addi a2, a2, 1',
      `  la t2, ${target}`,
      '  sw t0, 0(t2)',
      '  addi s3, s3, -1',
      `  bnez s3, ${target}`,
      `${again}:`,
    );
  }
}

/** A trap handler chosen at random: none, one that skips the instruction, one that traps again, or a wild address. */
function handler(c: Ctx): void {
  switch (c.rng.below(5)) {
    case 0:
      c.out.push('  csrw mtvec, zero');
      return;
    case 1:
      c.out.push('  la t0, h_recurse', '  csrw mtvec, t0');
      return;
    case 2:
      li(c, 't0', word(c.rng));
      c.out.push('  csrw mtvec, t0');
      return;
    default:
      c.out.push('  la t0, h_skip', '  csrw mtvec, t0');
  }
}

function userMode(c: Ctx): void {
  const u = fresh(c, 'user');
  c.out.push(`  la t0, ${u}`, '  csrw mepc, t0');
  li(c, 't0', chance(c.rng, 0.7) ? 0 : word(c.rng));
  c.out.push(
    '  csrw mstatus, t0',
    '  mret',
    `${u}:`,
    pick(c.rng, ['  csrr t0, mstatus', '  ecall', '  halt a0', '  wfi', '  nop', '  io a1, t1']),
  );
}

function memory(c: Ctx): void {
  li(c, 't1', word(c.rng));
  c.out.push(`  ${pick(c.rng, ['lw t0', 'lh t0', 'lbu t0', 'sw a1', 'sh a1', 'sb a1'])}, ${c.rng.range(-2048, 2047)}(t1)`);
}

function misc(c: Ctx): void {
  c.out.push(
    pick(c.rng, [
      '  wfi',
      '  drain',
      '  ecall',
      '  ebreak',
      '  mret',
      '  li t0, 0x7fffffff\n  addv t1, t0, t0',
      '  li t0, 0x80000000\n  li t2, -1\n  divv t1, t0, t2\n  divv t3, t0, zero',
      '  li t0, 8\n  csrs mstatus, t0\n  li t0, 0x880\n  csrs mie, t0',
      '  j .',
      `  .word ${hex(c.rng.nextU32())}`,
      `  li t0, ${hex(word(c.rng))}\n  jr t0`,
      '  la t0, ring\n  sw zero, 0(t0)\n  lw t1, 4(t0)\n  sw t1, 0(t0)',
    ]),
  );
}

const PIECES: readonly ((c: Ctx) => void)[] = [
  ring,
  ring,
  (c) => iorb(c, false),
  (c) => iorb(c, false),
  (c) => iorb(c, false),
  (c) => iorb(c, true),
  connectFlood,
  bigWrite,
  csrNamed,
  csrNamed,
  csrRaw,
  csrRaw,
  selfModify,
  selfModify,
  handler,
  userMode,
  memory,
  misc,
  misc,
];

/** A hostile guest program for a machine of `ramMiB` MiB, as assembly source for `shadowvm` (GNU `as` syntax). */
export function hostileProgram(rng: Random, ramMiB: number): string {
  const c: Ctx = { rng, ramEnd: RAM_BASE + ramMiB * 1024 * 1024, out: [], label: 0 };
  c.out.push('  .text', '  .globl _start', '_start:');
  if (chance(rng, 0.7)) c.out.push('  la t0, h_skip', '  csrw mtvec, t0');
  for (let n = rng.range(1, 12); n > 0; n--) pick(rng, PIECES)(c);
  c.out.push(`  li a0, ${hex(chance(rng, 0.7) ? rng.below(64) : word(rng))}`, '  halt a0');
  c.out.push(
    'h_skip:',
    '  csrr t6, mepc',
    '  addi t6, t6, 4',
    '  csrw mepc, t6',
    '  csrw mip, zero',
    '  mret',
    'h_recurse:',
    '  ecall',
    '  mret',
    '  .data',
    '  .balign 64',
    'ring: .space 1024',
    'iorbs: .space 1024',
    'buf: .space 4096',
  );
  return c.out.join('\n') + '\n';
}
