/**
 * The random middle of a generated program: blocks of RV32IM work, memory, branches, loops, Xshadow
 * arithmetic, drains, exceptions, U-mode segments and nondeterministic reads, each drawn from the
 * program's Random. Keeps to the register conventions of layout.ts, so that nothing it emits
 * makes the exit code or the console depend on when interrupts or traps arrive.
 */
import type { Random } from '../base/random.js';
import { type CodeBuilder, r } from './asm.js';
import { hex } from '../base/format.js';
import { DATA, POOL, REG } from './layout.js';
import { emitEnterUser } from './traps.js';
import type { GenOptions } from './options.js';
import {
  BRANCHES,
  CLOCK_CSRS,
  CORNERS,
  I_OPS,
  NONDET_CSRS,
  R_OPS,
  SHIFTS,
  USER_CLOCK_CSRS,
  USER_NONDET_CSRS,
  XSHADOW,
  xshadowOperands,
} from './body-ops.js';

type Block = () => void;

/** The random middle of one program. */
export class Body {
  private logSlot = 1;
  readonly stored = new Set<number>();
  /** Emitting a U-mode segment: no M-only instructions or CSRs. */
  private inUser = false;

  constructor(
    private readonly rng: Random,
    private readonly c: CodeBuilder,
    private readonly o: Required<GenOptions>,
  ) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[this.rng.below(xs.length)]!;
  }

  private chance(p: number): boolean {
    return this.rng.nextU32() < p * 4294967296;
  }

  private reg(): number {
    return this.pick(POOL);
  }

  /** A source operand: usually a pool register, now and then zero. */
  private src(): number {
    return this.chance(0.06) ? 0 : this.reg();
  }

  private two(): [number, number] {
    const a = this.reg();
    let b = this.reg();
    while (b === a) b = this.reg();
    return [a, b];
  }

  value(): number {
    const k = this.rng.below(10);
    if (k < 5) return this.rng.nextU32() | 0;
    if (k < 7) return this.rng.range(-16, 16);
    return this.pick(CORNERS);
  }

  private imm12(): number {
    return this.chance(0.5) ? this.rng.range(-16, 16) : this.rng.range(-2048, 2047);
  }

  /** Registers start with random values; s10 (the checksum) too. */
  init(): void {
    for (const r of POOL) this.c.li32(r, this.value());
    this.c.li32(REG.s10, this.rng.nextU32() | 0, 'checksum');
  }

  aluR: Block = () => this.c.rrr(this.pick(R_OPS), this.reg(), this.src(), this.src());

  aluI: Block = () => {
    if (this.chance(0.3)) this.c.rri(this.pick(SHIFTS), this.reg(), this.src(), this.rng.below(32));
    else this.c.rri(this.pick(I_OPS), this.reg(), this.src(), this.imm12());
  };

  upper: Block = () => {
    const rd = this.reg();
    const imm = this.rng.below(0x100000);
    if (this.chance(0.8)) this.c.lui(rd, imm);
    else this.c.op('auipc', { rd, imm }, `auipc ${r(rd)}, ${hex(imm)}`);
  };

  /** Division corner cases: INT_MIN / -1 and x / 0, for div, divu, rem and remu. */
  corner: Block = () => {
    const [a, b] = this.two();
    if (this.chance(0.5)) {
      this.c.lui(a, 0x80000, 'INT_MIN');
      this.c.li12(b, -1);
    } else this.c.li12(b, 0);
    this.c.rrr(this.pick(['div', 'divu', 'rem', 'remu'] as const), this.reg(), a, b);
  };

  mem: Block = () => {
    const { s0 } = REG;
    const size = this.pick([4, 4, 2, 1] as const);
    const off = this.rng.below(DATA.scratchBytes / size) * size;
    this.c.store(size === 4 ? 'sw' : size === 2 ? 'sh' : 'sb', this.src(), off, s0);
    this.stored.add(off & ~3);
    if (this.chance(0.7)) {
      const lsize = this.pick([4, 2, 1] as const);
      const loff = this.chance(0.5) ? Math.floor(off / lsize) * lsize : this.rng.below(DATA.scratchBytes / lsize) * lsize;
      const mn = lsize === 4 ? 'lw' : lsize === 2 ? this.pick(['lh', 'lhu'] as const) : this.pick(['lb', 'lbu'] as const);
      this.c.load(mn, this.reg(), loff, s0);
    }
  };

  /** Xshadow arithmetic; half the time with operands prepared to overflow or divide by zero. */
  xshadow: Block = () => {
    const mn = this.pick(XSHADOW);
    const [a, b] = this.two();
    if (this.chance(0.5)) {
      const small = this.rng.below(0x1000);
      const pos = this.chance(0.5);
      xshadowOperands(this.c, mn, a, b, small, pos);
    }
    this.c.rrr(mn, this.reg(), a, b);
  };

  drain: Block = () => this.c.plain('drain');

  /** An instruction that traps and is skipped by the handler (rd of a misaligned load keeps its value). */
  exception: Block = () => {
    const { s0 } = REG;
    const odd = (size: number): number => this.rng.below(DATA.scratchBytes / size) * size + this.rng.range(1, size - 1);
    switch (this.rng.below(4)) {
      case 0:
        if (!this.inUser) return this.c.plain('ecall', 'skipped by the handler');
        return this.c.plain('ebreak', 'skipped by the handler');
      case 1:
        return this.c.plain('ebreak', 'skipped by the handler');
      case 2: {
        const size = this.pick([4, 2] as const);
        const mn = size === 4 ? 'lw' : this.pick(['lh', 'lhu'] as const);
        return this.c.load(mn, this.reg(), odd(size), s0, 'misaligned: skipped by the handler');
      }
      default: {
        const size = this.pick([4, 2] as const);
        return this.c.store(size === 4 ? 'sw' : 'sh', this.src(), odd(size), s0, 'misaligned: skipped by the handler');
      }
    }
  };

  /** Sleep until an interrupt (only with the timer on: there is always a next tick to wake up). */
  wfi: Block = () => this.c.plain('wfi', 'until the next interrupt');

  /** Folds a register into the checksum, sometimes rotating it. */
  fold: Block = () => {
    const { s10, a0, a1 } = REG;
    this.c.rrr(this.pick(['xor', 'add', 'sub'] as const), s10, s10, this.reg());
    if (this.chance(0.4)) {
      const k = this.rng.range(1, 31);
      this.c.rri('slli', a0, s10, k);
      this.c.rri('srli', a1, s10, 32 - k);
      this.c.rrr('or', s10, a0, a1);
    }
  };

  /** A nondeterministic read, logged to memory; or two clock reads whose order (never backwards) is folded in. */
  nondet: Block = () => {
    const { tp, s10, a0, a1, a2, a3 } = REG;
    const clock = this.inUser ? USER_CLOCK_CSRS : CLOCK_CSRS;
    if (this.chance(0.6)) {
      this.c.csrr(a0, this.pick(this.inUser ? USER_NONDET_CSRS : NONDET_CSRS));
      this.c.store('sw', a0, DATA.log + 4 * this.nextLog(), tp, 'logged, never read back');
      return;
    }
    this.c.csrr(a1, this.pick(clock));
    for (let i = this.rng.range(0, 3); i > 0; i--) this.aluI();
    this.c.csrr(a2, this.pick(clock));
    this.c.rrr('sltu', a3, a2, a1);
    this.c.rrr('add', s10, s10, a3);
    this.c.comment('the clock never reads backwards: adds 0');
  };

  /** instret read twice with MIE off: nothing can enter the guest in between, so the difference is exact. */
  instret: Block = () => {
    const { tp, s10, a1, a2, a3 } = REG;
    const csr = this.pick(['instret', 'minstret'] as const);
    this.c.csrBitsImm(false, 'mstatus', 8, 'MIE off');
    this.c.csrr(a1, csr);
    for (let i = this.rng.range(0, 4); i > 0; i--) (this.chance(0.5) ? this.aluR : this.aluI)();
    this.c.csrr(a2, csr);
    this.c.csrBitsImm(true, 'mstatus', 8, 'MIE on');
    this.c.rrr('sub', a3, a2, a1);
    this.c.rrr('add', s10, s10, a3);
    this.c.store('sw', a1, DATA.log + 4 * this.nextLog(), tp, 'instret: differs from a bare run, not between replicas');
  };

  poll: Block = () => this.c.jal(REG.ra, 'io_poll');

  /** `bCC` over 1..4 simple instructions. */
  branch: Block = () => {
    const skip = this.c.fresh('skip');
    this.c.branch(this.pick(BRANCHES), this.src(), this.src(), skip);
    for (let i = this.rng.range(1, 4); i > 0; i--) this.oneOf(this.simple())();
    this.c.label(skip);
  };

  /** A loop of 2..10 iterations counted in s1, its body a few simple blocks or branches. */
  loop: Block = () => {
    const { s1 } = REG;
    const top = this.c.fresh('loop');
    this.c.li12(s1, this.rng.range(2, 10));
    this.c.label(top);
    const items: Array<[number, Block]> = [...this.simple(), [6, this.branch], [1, this.nondet]];
    for (let i = this.rng.range(2, 6); i > 0; i--) this.oneOf(items)();
    this.c.rri('addi', s1, s1, -1);
    this.c.branch('bne', s1, 0, top);
  };

  /** A segment in U mode: simple blocks, branches, loops and nondeterministic reads; back to M with ecall. */
  user: Block = () => {
    emitEnterUser(this.c, this.c.fresh('user'));
    this.inUser = true;
    const items: Array<[number, Block]> = [...this.simple(), [8, this.branch], [5, this.loop], [4, this.nondet]];
    for (let i = this.rng.range(2, 6); i > 0; i--) this.oneOf(items)();
    this.inUser = false;
    this.c.plain('ecall', 'back to M');
  };

  simple(): Array<[number, Block]> {
    const o = this.o;
    return [
      [20, this.aluR],
      [15, this.aluI],
      [3, this.upper],
      [4, this.corner],
      [12, this.mem],
      [8, this.fold],
      ...(o.traps ? ([[10, this.xshadow]] as Array<[number, Block]>) : []),
      ...(o.drains ? ([[3, this.drain]] as Array<[number, Block]>) : []),
      ...(o.exceptions ? ([[2, this.exception]] as Array<[number, Block]>) : []),
    ];
  }

  topLevel(): Array<[number, Block]> {
    return [
      ...this.simple(),
      [8, this.branch],
      [5, this.loop],
      [4, this.nondet],
      [3, this.instret],
      ...(this.o.io ? ([[2, this.poll]] as Array<[number, Block]>) : []),
      ...(this.o.timer ? ([[2, this.wfi]] as Array<[number, Block]>) : []),
      ...(this.o.user ? ([[4, this.user]] as Array<[number, Block]>) : []),
    ];
  }

  oneOf(items: ReadonlyArray<[number, Block]>): Block {
    let total = 0;
    for (const [w] of items) total += w;
    let k = this.rng.below(total);
    for (const [w, b] of items) {
      if (k < w) return b;
      k -= w;
    }
    return items[items.length - 1]![1];
  }

  private nextLog(): number {
    const s = this.logSlot;
    this.logSlot = (this.logSlot % (DATA.logWords - 1)) + 1;
    return s;
  }
}
