/**
 * A generator of valid random guest programs, for the lockstep property and the failover fuzzer.
 *
 * `generateProgram(seed, opts)` gives a flat program (code at RAM_BASE, a data page after it) and the same
 * program as GNU-style assembly text. Every program terminates with `halt`, never faults, and its exit code
 * and console output depend only on the program, never on when interrupts or deferred traps arrive, nor on
 * the computer's clock: so a bare run, a pair run and any failover must agree on both.
 *
 * What it contains (all drawn from `Random(seed)`): RV32I+M ALU work with div/rem corner cases, aligned
 * loads and stores into a scratch area, forward branches, bounded loops counted in s1, Xshadow deferred-trap
 * arithmetic whose operands often overflow or divide by zero, `drain`, precise exceptions the handler skips
 * (ecall, ebreak, misaligned accesses), segments in U mode, `wfi` when a timer runs, reads of time/cycle/seed (logged to
 * memory, never folded in) and of instret (only differences taken with MIE off, which are exact), and with
 * `io` a console connection and a few positional WRITEs through the runtime of genprog-runtime.ts. The exit
 * code is a checksum of the computation (s10, the registers, the stored words) and of the deferred traps
 * the handler saw (s11), shifted right by one so that it is >= 0; failure paths halt with negative codes.
 */
import { RAM_BASE } from '../../isa/csrs.js';
import type { ProgramImage } from '../../isa/image.js';
import { Random } from '../hw/random.js';
import { CodeBuilder, hex, r } from './genprog-asm.js';
import {
  DATA, MAX_WRITES, POOL, REG, buildData, emitEnterUser, emitFinish, emitIoRuntime, emitSetup, emitStart, emitTrapHandler,
  type RuntimeOptions, type WriteSlot,
} from './genprog-runtime.js';

export { FAIL_CODE, GNU_AS_PRELUDE, DATA, POOL } from './genprog-runtime.js';

export interface GenOptions {
  /** Top-level blocks of random code (a block is a few instructions, a branch or a loop). Default 40. */
  readonly length?: number;
  /** Connect the console and WRITE a few bytes through the runtime. Default false. */
  readonly io?: boolean;
  /** Xshadow addv/subv/mulv/divv with operands that overflow or divide by zero. Default true. */
  readonly traps?: boolean;
  /** `drain` inside the random code (the ending always drains when `traps` is on). Default true. */
  readonly drains?: boolean;
  /** A periodic timer interrupt (a seeded period of 1..8 µs), taken and cleared by the handler; and `wfi` in the code. Default false. */
  readonly timer?: boolean;
  /** Precise exceptions the handler resumes after: ecall, ebreak, misaligned loads and stores. Default true. */
  readonly exceptions?: boolean;
  /** Segments of code in U mode (entered with mret, left with ecall). Default true. */
  readonly user?: boolean;
}

export interface ProgramInfo {
  readonly seed: number;
  readonly options: Required<GenOptions>;
  /** Instructions in the code (static). */
  readonly codeWords: number;
  /** Address of the data page (ring, IORBs, buffers, log, scratch). */
  readonly dataBase: number;
  /** The console WRITEs in stream order (slot i+1). */
  readonly writes: readonly WriteSlot[];
  /** Bytes the program writes to the console in total. */
  readonly consoleBytes: number;
}

export interface GeneratedProgram {
  readonly image: ProgramImage;
  /** The same program as GNU-style assembly (see GNU_AS_PRELUDE for assembling it with GNU as). */
  readonly source: string;
  readonly expectedHalt: true;
  readonly info: ProgramInfo;
}

const MAX_LENGTH = 4000;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

const R_OPS = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'] as const;
const I_OPS = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'] as const;
const SHIFTS = ['slli', 'srli', 'srai'] as const;
const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'] as const;
const XSHADOW = ['addv', 'subv', 'mulv', 'divv'] as const;
const NONDET_CSRS = ['time', 'cycle', 'mcycle', 'timeh', 'cycleh', 'seed'] as const;
const CLOCK_CSRS = ['time', 'cycle', 'mcycle'] as const;
/** The ones U mode may read (mcycle is a machine CSR). */
const USER_NONDET_CSRS = NONDET_CSRS.filter((c) => c !== 'mcycle');
const USER_CLOCK_CSRS = CLOCK_CSRS.filter((c) => c !== 'mcycle');
const CORNERS = [0, 1, -1, INT_MIN, INT_MAX, 0x7fff, 0x8000, 0xffff, 0x10000, -0x10000, 0x55555555, -0x55555556];

type Block = () => void;

/** The random middle of one program. */
class Body {
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
      switch (mn) {
        case 'addv':
          this.c.li32(a, pos ? 0x7fff0000 + small : INT_MIN + small);
          this.c.li32(b, pos ? 0x10000 + small : -0x10000 - small);
          break;
        case 'subv':
          this.c.li32(a, pos ? INT_MAX - small : INT_MIN + small);
          this.c.li32(b, pos ? -0x10000 - small : 0x10000 + small);
          break;
        case 'mulv':
          if (pos) {
            this.c.li32(a, 0x10000 + small);
            this.c.li32(b, 0x10000 + small);
          } else {
            this.c.li12(a, -1);
            this.c.lui(b, 0x80000, 'INT_MIN');
          }
          break;
        case 'divv':
          if (pos) this.c.li12(b, 0);
          else {
            this.c.lui(a, 0x80000, 'INT_MIN');
            this.c.li12(b, -1);
          }
          break;
      }
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
      [20, this.aluR], [15, this.aluI], [3, this.upper], [4, this.corner], [12, this.mem], [8, this.fold],
      ...(o.traps ? ([[10, this.xshadow]] as Array<[number, Block]>) : []),
      ...(o.drains ? ([[3, this.drain]] as Array<[number, Block]>) : []),
      ...(o.exceptions ? ([[2, this.exception]] as Array<[number, Block]>) : []),
    ];
  }

  topLevel(): Array<[number, Block]> {
    return [
      ...this.simple(), [8, this.branch], [5, this.loop], [4, this.nondet], [3, this.instret],
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

/** Resolved options: defaults filled in, length checked. */
export function genOptions(opts: GenOptions = {}): Required<GenOptions> {
  const length = opts.length ?? 40;
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_LENGTH) {
    throw new RangeError(`generateProgram: length must be an integer from 0 to ${MAX_LENGTH}, got ${length}`);
  }
  return {
    length, io: opts.io ?? false, traps: opts.traps ?? true, drains: opts.drains ?? true, timer: opts.timer ?? false,
    exceptions: opts.exceptions ?? true, user: opts.user ?? true,
  };
}

/** A valid random program from `seed` (any number); the same seed and options always give the same program. */
export function generateProgram(seed: number, opts: GenOptions = {}): GeneratedProgram {
  const o = genOptions(opts);
  const rng = new Random(seed);
  const c = new CodeBuilder();
  const body = new Body(rng, c, o);
  const rt: RuntimeOptions = { io: o.io, traps: o.traps, timerUs: o.timer ? rng.range(1, 8) : 0 };

  // The console writes: how many, how long, and where among the blocks (shuffled in, in stream order).
  const writes: WriteSlot[] = [];
  if (o.io) {
    let offset = 0;
    for (let n = rng.range(1, MAX_WRITES); n > 0; n--) {
      const len = rng.range(1, 8);
      writes.push({ len, offset });
      offset += len;
    }
  }
  const order: Array<'block' | 'write'> = [...Array<'block'>(o.length).fill('block'), ...writes.map(() => 'write' as const)];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }

  emitSetup(c, rt);
  body.init();
  emitStart(c, rt);
  const blocks = body.topLevel();
  let slot = 0;
  for (const what of order) {
    if (what === 'write') {
      slot++;
      c.comment(`console write ${slot}: ${writes[slot - 1]!.len} letters of the checksum at ${writes[slot - 1]!.offset}`);
      body.fold();
      c.li12(REG.a0, slot);
      c.jal(REG.ra, 'io_write');
    } else body.oneOf(blocks)();
  }
  emitFinish(c, rt, [...body.stored].sort((a, b) => a - b).slice(0, 16));
  emitTrapHandler(c);
  if (o.io) emitIoRuntime(c);

  const codeBytes = c.size * 4;
  const dataBase = RAM_BASE + Math.max(4096, Math.ceil(codeBytes / 4096) * 4096);
  const data = buildData(dataBase, writes);
  const code = c.build(RAM_BASE, data.labels);
  const codeBytesOut = new Uint8Array(code.words.buffer, code.words.byteOffset, code.words.byteLength).slice();
  const symbols = [...code.labels].map(([name, addr]) => ({ name, addr: addr >>> 0 })).sort((a, b) => a.addr - b.addr || (a.name < b.name ? -1 : 1));
  const image: ProgramImage = {
    entry: RAM_BASE,
    segments: [
      { addr: RAM_BASE, bytes: codeBytesOut },
      { addr: dataBase, bytes: data.bytes, zeroFill: DATA.bytes - data.bytes.length },
    ],
    symbols,
  };
  const flag = (b: boolean): string => (b ? 'on' : 'off');
  const header = [
    '# shadowvm generated program (src/fuzz/genprog.ts)',
    `# seed ${seed}, length ${o.length}, io ${flag(o.io)}, traps ${flag(o.traps)}, drains ${flag(o.drains)}, exceptions ${flag(o.exceptions)}, user ${flag(o.user)}, timer ${rt.timerUs ? `${rt.timerUs} us` : 'off'}`,
    '# exit code: checksum >>> 1 (>= 0); failures halt with 0xbad00000|mcause, 0xe1000000|io status, 0xee000000|status<<8|tag',
    '  .text',
    '  .globl _start',
  ];
  const source = [...header, ...code.lines, ...data.lines, ''].join('\n');
  return {
    image,
    source,
    expectedHalt: true,
    info: {
      seed,
      options: o,
      codeWords: c.size,
      dataBase,
      writes,
      consoleBytes: writes.reduce((n, w) => n + w.len, 0),
    },
  };
}
