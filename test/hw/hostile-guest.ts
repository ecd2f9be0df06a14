/**
 * Hostile guests for the property that nothing a guest does makes the host throw: a fast-check
 * arbitrary for a program that writes random values to every CSR (and to numbers that are no CSR),
 * points the completion ring at random addresses with random capacities and a random `head`, and issues
 * I/O request blocks whose every field is random, each biased towards the edges (0, all ones, RAM's
 * bounds, powers of two, sector multiples). IORBs start well-formed and get a few hostile fields, and the
 * ring is often valid, so that operations are also accepted, performed and completed. A handler skips every exception, so one bad value does not
 * end the run before the next is tried (unless the guest overwrites mtvec, which is a case too).
 */
import fc from 'fast-check';
import { CSRS, RAM_BASE } from '../../isa/csrs.js';

export const RAM_MIB = 1;
const RAM_END = RAM_BASE + RAM_MIB * 1024 * 1024;

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const edge = (...values: number[]): fc.Arbitrary<number> => fc.oneof(fc.constantFrom(...values.map((v) => v >>> 0)), u32);

const address = edge(
  0,
  1,
  0xffffffff,
  0xfffffff0,
  RAM_BASE - 4,
  RAM_BASE,
  RAM_BASE + 2,
  RAM_BASE + 0x80000,
  RAM_END - 4,
  RAM_END - 32,
  RAM_END - 512,
  RAM_END,
  RAM_BASE + 0x7ffffff0,
);
const length = edge(0, 1, 13, 512, 4096, 1024 * 1024, 1024 * 1024 + 512, 0x7fffffff, 0x80000000, 0xfffffe00, 0xffffffff);
const offset = edge(0, 1, 512, 1024 * 1024 - 512, 1024 * 1024, 0x7ffffe00, 0xfffffe00, 0xffffffff);
const capacity = edge(0, 1, 2, 3, 8, 16, 1024, 65536, 0x40000000, 0x80000000, 0xffffffff);

/** Every CSR the machine has, plus numbers it does not have. */
const csrNumber = fc.oneof(
  fc.constantFrom(...CSRS.map((c) => c.number), 0x7c5, 0x7ff, 0x180, 0xfff, 0x000),
  fc.integer({ min: 0, max: 0xfff }),
);

export interface Iorb {
  readonly words: readonly number[];
  /** Where the io instruction points: the IORB itself, or a raw address. */
  readonly at: 'iorb' | number;
}

export type Step =
  | { readonly kind: 'csr'; readonly op: 'csrrw' | 'csrrs' | 'csrrc'; readonly csr: number; readonly value: number }
  | { readonly kind: 'io'; readonly iorb: Iorb }
  | { readonly kind: 'spin'; readonly n: number }
  | { readonly kind: 'wfi' }
  | { readonly kind: 'drain' };

export interface HostileGuest {
  readonly ring: number;
  readonly ringCapacity: number;
  readonly ringHead: number;
  readonly steps: readonly Step[];
  readonly exitCode: number;
}

const BUFFER = RAM_BASE + 0x90000;

/** A hostile value for each IORB field: op, device, tag, addr, len, offset, the two reserved words. */
const HOSTILE_FIELD: readonly fc.Arbitrary<number>[] = [edge(0, 5), edge(2, 3), u32, address, length, offset, u32, u32];

/**
 * A well-formed IORB (so that operations are accepted, performed and completed into the ring) with 0 to 3
 * of its fields replaced by hostile values.
 */
const iorbArb: fc.Arbitrary<Iorb> = fc.record({
  words: fc
    .tuple(
      fc.tuple(
        fc.constantFrom(1, 2, 2, 3, 3, 3, 4),
        fc.constantFrom(0, 1),
        u32,
        fc.constantFrom(BUFFER, BUFFER + 512),
        fc.constantFrom(0, 1, 512, 1024),
        fc.constantFrom(0, 512, 4096),
        fc.constant(0),
        fc.constant(0),
      ),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 0xffff })), { maxLength: 3 }),
      fc.tuple(...HOSTILE_FIELD),
    )
    .map(([good, mutations, hostile]) => {
      const words: number[] = [...good];
      for (const [field] of mutations) words[field] = hostile[field]!;
      return words;
    }),
  at: fc.oneof({ weight: 4, arbitrary: fc.constant('iorb' as const) }, { weight: 1, arbitrary: address }),
});

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('csr' as const),
      op: fc.constantFrom('csrrw' as const, 'csrrs' as const, 'csrrc' as const),
      csr: csrNumber,
      value: edge(0, 1, 8, 0x80, 0x800, 0x888, 0x1808, 0x7fffffff, 0xffffffff),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('io' as const), iorb: iorbArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('spin' as const), n: fc.integer({ min: 1, max: 2000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'wfi' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drain' as const }) },
);

export const hostileGuestArb: fc.Arbitrary<HostileGuest> = fc.record({
  ring: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(RAM_BASE + 0x80000, RAM_END - 8 - 16 * 64) }, { weight: 1, arbitrary: address }),
  ringCapacity: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(1, 2, 4, 8, 64) }, { weight: 1, arbitrary: capacity }),
  ringHead: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: edge(1, 0x7fffffff, 0xffffffff) }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 16 }),
  exitCode: edge(0, 1, 63, 64, 255, 256, 0xffffffff),
});

const s32 = (v: number): number => v | 0;

/** The guest as assembly text. */
export function hostileSource(g: HostileGuest): string {
  const out: string[] = [
    '_start:',
    '    la t0, handler',
    '    csrw mtvec, t0',
    `    li t0, ${s32(g.ringCapacity)}`,
    '    csrw 0x7c3, t0',
    `    li t1, ${s32(g.ring)}`,
    '    csrw 0x7c2, t1',
    `    li t0, ${s32(g.ringHead)}`,
    '    sw t0, 0(t1)',
    '    la a0, connect_console', // connected at first, as a guest would be; the random ops may disconnect
    '    io a1, a0',
    '    la a0, connect_disk',
    '    io a1, a0',
  ];
  const data: string[] = [];
  g.steps.forEach((step, i) => {
    switch (step.kind) {
      case 'csr':
        out.push(`    li t0, ${s32(step.value)}`, `    ${step.op} t2, ${step.csr}, t0`);
        break;
      case 'io':
        if (step.iorb.at === 'iorb') out.push(`    la a0, iorb${i}`);
        else out.push(`    li a0, ${s32(step.iorb.at)}`);
        out.push('    io a1, a0');
        data.push(`iorb${i}: .word ${step.iorb.words.map(s32).join(', ')}`);
        break;
      case 'spin': // lets virtual time pass, so that operations complete
        out.push(`    li t3, ${step.n}`, `spin${i}:`, '    addi t3, t3, -1', `    bnez t3, spin${i}`);
        break;
      case 'wfi': // with nothing to wake it, the run ends in a deadlock: a case too
        out.push('    wfi');
        break;
      case 'drain':
        out.push('    drain');
        break;
    }
  });
  out.push(
    '    li t3, 3000', // time for the last operations to complete before the halt
    'settle:',
    '    addi t3, t3, -1',
    '    bnez t3, settle',
    `    li a0, ${s32(g.exitCode)}`,
    '    halt a0',
    'handler:',
    '    csrr t6, mcause',
    '    bltz t6, interrupt',
    '    csrr t6, mepc',
    '    addi t6, t6, 4',
    '    csrw mepc, t6',
    '    mret',
    'interrupt:',
    '    li t6, 0x880',
    '    csrc mip, t6',
    '    mret',
    '    .data',
    '    .balign 4',
    'connect_console: .word 1, 0, 0, 0, 0, 0, 0, 0',
    'connect_disk: .word 1, 1, 0, 0, 0, 0, 0, 0',
    ...data,
  );
  return out.join('\n') + '\n';
}
