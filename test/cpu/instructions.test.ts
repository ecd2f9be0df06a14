import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RAM_BASE } from '../../isa/csrs.js';
import { encode } from '../../src/asm/encode.js';
import { Cpu } from '../../src/cpu/cpu.js';
import type { Stop } from '../../src/cpu/types.js';
import { LOOPS, useBlocks } from './helpers.js';

const INT_MIN = -2147483648;
const RAM = 64 * 1024;
const DATA = RAM_BASE + 0x8000;
const s = (v: bigint): number => Number(BigInt.asIntN(32, v));
const S = (v: number): bigint => BigInt(v | 0);
const U = (v: number): bigint => BigInt(v >>> 0);

/** Independent reference semantics (BigInt), by mnemonic, for register-register instructions. */
const R_REF: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => s(S(a) + S(b)),
  sub: (a, b) => s(S(a) - S(b)),
  sll: (a, b) => s(S(a) << BigInt(b & 31)),
  slt: (a, b) => (S(a) < S(b) ? 1 : 0),
  sltu: (a, b) => (U(a) < U(b) ? 1 : 0),
  xor: (a, b) => s(S(a) ^ S(b)),
  srl: (a, b) => s(U(a) >> BigInt(b & 31)),
  sra: (a, b) => s(S(a) >> BigInt(b & 31)),
  or: (a, b) => s(S(a) | S(b)),
  and: (a, b) => s(S(a) & S(b)),
  mul: (a, b) => s(S(a) * S(b)),
  mulh: (a, b) => s((S(a) * S(b)) >> 32n),
  mulhsu: (a, b) => s((S(a) * U(b)) >> 32n),
  mulhu: (a, b) => s((U(a) * U(b)) >> 32n),
  div: (a, b) => (b === 0 ? -1 : a === INT_MIN && b === -1 ? INT_MIN : s(S(a) / S(b))),
  divu: (a, b) => (b === 0 ? -1 : s(U(a) / U(b))),
  rem: (a, b) => (b === 0 ? a : a === INT_MIN && b === -1 ? 0 : s(S(a) % S(b))),
  remu: (a, b) => (b === 0 ? a : s(U(a) % U(b))),
  addv: (a, b) => s(S(a) + S(b)),
  subv: (a, b) => s(S(a) - S(b)),
  mulv: (a, b) => s(S(a) * S(b)),
  divv: (a, b) => (b === 0 ? -1 : a === INT_MIN && b === -1 ? INT_MIN : s(S(a) / S(b))),
};

const I_REF: Record<string, (a: number, imm: number) => number> = {
  addi: (a, i) => s(S(a) + S(i)),
  slti: (a, i) => (S(a) < S(i) ? 1 : 0),
  sltiu: (a, i) => (U(a) < U(i) ? 1 : 0),
  xori: (a, i) => s(S(a) ^ S(i)),
  ori: (a, i) => s(S(a) | S(i)),
  andi: (a, i) => s(S(a) & S(i)),
  slli: (a, i) => s(S(a) << BigInt(i)),
  srli: (a, i) => s(U(a) >> BigInt(i)),
  srai: (a, i) => s(S(a) >> BigInt(i)),
};

const int32 = fc.oneof(
  fc.integer({ min: INT_MIN, max: 2147483647 }),
  fc.constantFrom(0, 1, -1, 2, INT_MIN, 2147483647, INT_MIN + 1, 0xffff, -0x10000),
);

describe.each(LOOPS)('instructions on the $loop', ({ specialised, blocks }) => {
  let cpu: Cpu;
  beforeAll(() => {
    cpu = Cpu.create({ ramBytes: RAM, trapDelayMax: 16, trapSeed: 3 });
    if (specialised) cpu.specialiseAfter = 0;
    cpu.engine = 'interp';
    if (blocks) useBlocks(cpu);
  });

  /** Puts `words` at RAM_BASE, sets registers, runs `n` instructions from RAM_BASE. */
  function exec(words: number[], regs: Record<number, number> = {}, n = words.length): Stop {
    const st = cpu.state;
    st.regs.fill(0);
    for (const [r, v] of Object.entries(regs)) st.regs[Number(r)] = v;
    words.forEach((w, i) => cpu.writeWord(RAM_BASE + 4 * i, w));
    st.pc = RAM_BASE;
    st.mode = 3;
    st.instret = 0;
    const stop = cpu.run(n);
    if (specialised) expect(cpu.specialised).toBe(true);
    if (blocks) expect(cpu.translatedBlocks).toBeGreaterThan(0);
    return stop;
  }
  const regs = (): Int32Array => cpu.state.regs;

  it('register-register instructions match the reference for random operands', () => {
    for (const [mnemonic, ref] of Object.entries(R_REF)) {
      const w = encode(mnemonic, { rd: 10, rs1: 11, rs2: 12 });
      fc.assert(
        fc.property(int32, int32, (a, b) => {
          const stop = exec([w], { 11: a, 12: b });
          expect(stop.kind === 'budget' || stop.kind === 'traps', mnemonic).toBe(true);
          expect(regs()[10], `${mnemonic} ${a} ${b}`).toBe(ref(a, b));
          cpu.takeHardwareTraps();
        }),
        { numRuns: 300 },
      );
    }
  });

  it('register-immediate instructions match the reference for random operands', () => {
    for (const [mnemonic, ref] of Object.entries(I_REF)) {
      const shift = mnemonic.startsWith('s') && mnemonic.endsWith('i') && mnemonic.length === 4;
      fc.assert(
        fc.property(int32, shift ? fc.integer({ min: 0, max: 31 }) : fc.integer({ min: -2048, max: 2047 }), (a, imm) => {
          exec([encode(mnemonic, { rd: 10, rs1: 11, imm })], { 11: a });
          expect(regs()[10], `${mnemonic} ${a} ${imm}`).toBe(ref(a, imm));
        }),
        { numRuns: 200 },
      );
    }
  });

  it('the same register as source and destination', () => {
    exec([encode('add', { rd: 5, rs1: 5, rs2: 5 })], { 5: 21 });
    expect(regs()[5]).toBe(42);
    exec([encode('jalr', { rd: 6, rs1: 6, imm: 0 }), encode('addi', { rd: 7, rs1: 0, imm: 1 })], { 6: (RAM_BASE + 4) | 0 }, 2);
    expect(regs()[6] >>> 0).toBe(RAM_BASE + 4);
    expect(regs()[7]).toBe(1);
    expect(cpu.state.pc).toBe(RAM_BASE + 8);
  });

  it('x0 stays 0 whatever writes it', () => {
    exec([encode('addi', { rd: 0, rs1: 0, imm: 5 }), encode('lui', { rd: 0, imm: 0xfffff }), encode('add', { rd: 1, rs1: 0, rs2: 0 })]);
    expect(regs()[0]).toBe(0);
    expect(regs()[1]).toBe(0);
    exec([encode('jal', { rd: 0, imm: 8 }), 0, encode('addi', { rd: 2, rs1: 0, imm: 3 })], {}, 2);
    expect(regs()[0]).toBe(0);
    expect(regs()[2]).toBe(3);
  });

  it('lui and auipc', () => {
    exec([encode('lui', { rd: 1, imm: 0xabcde }), encode('auipc', { rd: 2, imm: 0x10 })]);
    expect(regs()[1] >>> 0).toBe(0xabcde000);
    expect(regs()[2] >>> 0).toBe(RAM_BASE + 4 + 0x10000);
  });

  it('jal and jalr link pc + 4 and jump; jalr clears bit 0 of the target', () => {
    exec([encode('jal', { rd: 1, imm: 12 })], {}, 1);
    expect(regs()[1] >>> 0).toBe(RAM_BASE + 4);
    expect(cpu.state.pc).toBe(RAM_BASE + 12);
    exec([encode('jalr', { rd: 1, rs1: 2, imm: 1 })], { 2: (RAM_BASE + 0x100) | 0 }, 1);
    expect(cpu.state.pc).toBe(RAM_BASE + 0x100); // (0x80000100 + 1) & ~1
    expect(regs()[1] >>> 0).toBe(RAM_BASE + 4);
  });

  it('branches: taken, not taken, signed and unsigned comparisons', () => {
    const cases: Array<[string, number, number, boolean]> = [
      ['beq', 5, 5, true],
      ['beq', 5, 6, false],
      ['bne', 5, 6, true],
      ['bne', -1, -1, false],
      ['blt', -1, 0, true],
      ['blt', 0, -1, false],
      ['bge', 0, -1, true],
      ['bge', -2, -1, false],
      ['bge', 7, 7, true],
      ['bltu', 0, -1, true],
      ['bltu', -1, 0, false],
      ['bgeu', -1, 0, true],
      ['bgeu', 0, 1, false],
      ['bgeu', 3, 3, true],
    ];
    for (const [m, a, b, taken] of cases) {
      exec([encode(m, { rs1: 1, rs2: 2, imm: -16 })], { 1: a, 2: b }, 1);
      expect(cpu.state.pc, `${m} ${a} ${b}`).toBe(taken ? RAM_BASE - 16 : RAM_BASE + 4);
    }
  });

  it('loads sign- or zero-extend; stores write only their bytes and mark the page dirty', () => {
    cpu.writeBytes(DATA, Uint8Array.of(0x80, 0xff, 0x7f, 0x01, 0x11, 0x22, 0x33, 0x44));
    const ld = (m: string, imm: number): number => {
      exec([encode(m, { rd: 10, rs1: 11, imm })], { 11: DATA | 0 });
      return regs()[10]!;
    };
    expect(ld('lb', 0)).toBe(-128);
    expect(ld('lbu', 0)).toBe(0x80);
    expect(ld('lh', 0) >>> 0).toBe(0xffffff80);
    expect(ld('lhu', 0)).toBe(0xff80);
    expect(ld('lh', 2)).toBe(0x017f);
    expect(ld('lw', 0) >>> 0).toBe(0x017fff80);
    expect(ld('lw', 4)).toBe(0x44332211);
    cpu.state.dirty.fill(0);
    exec(
      [encode('sb', { rs1: 11, rs2: 12, imm: 1 }), encode('sh', { rs1: 11, rs2: 12, imm: 6 }), encode('sw', { rs1: 11, rs2: 12, imm: 8 })],
      { 11: DATA | 0, 12: 0x12345678 },
    );
    expect(Array.from(cpu.readBytes(DATA, 12)!)).toEqual([0x80, 0x78, 0x7f, 0x01, 0x11, 0x22, 0x78, 0x56, 0x78, 0x56, 0x34, 0x12]);
    // The data page (stores) and page 0 (where exec wrote the program) are dirty; nothing else.
    expect(
      Array.from(cpu.state.dirty.entries())
        .filter(([, d]) => d === 1)
        .map(([p]) => p),
    ).toEqual([0, (DATA - RAM_BASE) >>> 12]);
  });

  it('misaligned loads and stores trap precisely (cause 4/6, tval = address, pc stays, counted)', () => {
    const cases: Array<[string, number, number]> = [
      ['lh', 1, 4],
      ['lhu', 3, 4],
      ['lw', 2, 4],
      ['lw', 1, 4],
      ['sh', 1, 6],
      ['sw', 2, 6],
      ['sw', 3, 6],
    ];
    for (const [m, off, cause] of cases) {
      const w = m.startsWith('s') ? encode(m, { rs1: 11, rs2: 12, imm: off }) : encode(m, { rd: 10, rs1: 11, imm: off });
      const stop = exec([encode('addi', { rd: 13, rs1: 0, imm: 1 }), w, encode('addi', { rd: 13, rs1: 0, imm: 2 })], {
        10: 77,
        11: DATA | 0,
      });
      expect(stop, m).toEqual({ kind: 'exception', cause, tval: DATA + off });
      expect(cpu.state.pc).toBe(RAM_BASE + 4);
      expect(cpu.state.instret).toBe(2);
      expect(regs()[10]).toBe(77);
      expect(regs()[13]).toBe(1);
    }
  });

  it('accesses outside RAM trap (cause 5/7); the last byte and word of RAM are fine', () => {
    const top = RAM_BASE + RAM;
    const cases: Array<[string, number, number]> = [
      ['lw', 0, 5],
      ['lb', top, 5],
      ['lbu', RAM_BASE - 1, 5],
      ['sw', top, 7],
      ['sb', 0x10, 7],
      ['lw', 0xfffffffc, 5],
    ];
    for (const [m, addr, cause] of cases) {
      const w = m.startsWith('s') ? encode(m, { rs1: 11, rs2: 12, imm: 0 }) : encode(m, { rd: 10, rs1: 11, imm: 0 });
      expect(exec([w], { 11: addr | 0 }), `${m} ${addr.toString(16)}`).toEqual({ kind: 'exception', cause, tval: addr >>> 0 });
    }
    expect(exec([encode('lbu', { rd: 10, rs1: 11, imm: -1 })], { 11: top | 0 }).kind).toBe('budget');
    expect(exec([encode('sw', { rs1: 11, rs2: 12, imm: -4 })], { 11: top | 0 }).kind).toBe('budget');
    expect(exec([encode('lw', { rd: 10, rs1: 11, imm: -2048 })], { 11: 0x7fc }).kind).toBe('exception');
  });

  it('a load into x0 still accesses memory and traps', () => {
    expect(exec([encode('lw', { rd: 0, rs1: 11, imm: 0 })], { 11: 4 })).toEqual({ kind: 'exception', cause: 5, tval: 4 });
    expect(exec([encode('lh', { rd: 0, rs1: 11, imm: 1 })], { 11: DATA | 0 })).toEqual({ kind: 'exception', cause: 4, tval: DATA + 1 });
  });

  it('a taken jump or branch to a misaligned target traps at the jump (cause 0)', () => {
    expect(exec([encode('jal', { rd: 1, imm: 6 })])).toEqual({ kind: 'exception', cause: 0, tval: RAM_BASE + 6 });
    expect(regs()[1]).toBe(0);
    expect(cpu.state.pc).toBe(RAM_BASE);
    expect(exec([encode('beq', { rs1: 0, rs2: 0, imm: 10 })])).toEqual({ kind: 'exception', cause: 0, tval: RAM_BASE + 10 });
    expect(exec([encode('bne', { rs1: 0, rs2: 0, imm: 10 })]).kind).toBe('budget'); // not taken: no trap
    expect(exec([encode('jalr', { rd: 1, rs1: 2, imm: 0 })], { 2: (RAM_BASE + 0x12) | 0 })).toEqual({
      kind: 'exception',
      cause: 0,
      tval: RAM_BASE + 0x12,
    });
    expect(regs()[1]).toBe(0);
  });

  it('fetching outside RAM traps (cause 1, tval = pc), counted, pc at the target', () => {
    const stop = exec([encode('jalr', { rd: 0, rs1: 2, imm: 0 })], { 2: 0x1000 }, 5);
    expect(stop).toEqual({ kind: 'exception', cause: 1, tval: 0x1000 });
    expect(cpu.state.pc).toBe(0x1000);
    expect(cpu.state.instret).toBe(2);
    cpu.state.pc = RAM_BASE + RAM - 4;
    cpu.writeWord(RAM_BASE + RAM - 4, encode('addi', { rd: 1, rs1: 1, imm: 1 }));
    expect(cpu.run(5)).toEqual({ kind: 'exception', cause: 1, tval: RAM_BASE + RAM });
  });

  it('a misaligned pc handed to run traps (cause 0) before anything executes', () => {
    exec([]);
    cpu.state.pc = RAM_BASE + 2;
    expect(cpu.run(3)).toEqual({ kind: 'exception', cause: 0, tval: RAM_BASE + 2 });
    expect(cpu.state.pc).toBe(RAM_BASE + 2);
    expect(cpu.state.instret).toBe(1);
  });

  it('illegal words trap with cause 2 and the word in tval; fence is a no-op', () => {
    expect(exec([0])).toEqual({ kind: 'exception', cause: 2, tval: 0 });
    expect(exec([0xffffffff])).toEqual({ kind: 'exception', cause: 2, tval: 0xffffffff });
    expect(exec([0x00200073])).toEqual({ kind: 'exception', cause: 2, tval: 0x00200073 }); // uret: not on this machine
    expect(exec([encode('fence', { pred: 15, succ: 15 }), encode('addi', { rd: 1, rs1: 0, imm: 9 })]).kind).toBe('budget');
    expect(regs()[1]).toBe(9);
  });

  it('stops before a sensitive instruction without counting it', () => {
    const csrr = encode('csrrs', { rd: 1, csr: 0x300, rs1: 0 });
    const stop = exec([encode('addi', { rd: 1, rs1: 0, imm: 1 }), csrr, encode('addi', { rd: 1, rs1: 0, imm: 2 })], {}, 10);
    expect(stop).toEqual({ kind: 'sensitive', word: csrr });
    expect(cpu.state.pc).toBe(RAM_BASE + 4);
    expect(cpu.state.instret).toBe(1);
    for (const m of ['ecall', 'ebreak', 'mret', 'wfi']) expect(exec([encode(m)]).kind, m).toBe('sensitive');
    expect(exec([encode('io', { rd: 1, rs1: 2 })]).kind).toBe('sensitive');
    expect(exec([encode('halt', { rs1: 2 })]).kind).toBe('sensitive');
  });

  it('run(0) does nothing; budgets count exactly', () => {
    expect(exec([encode('addi', { rd: 1, rs1: 1, imm: 1 })], {}, 0)).toEqual({ kind: 'budget' });
    expect(cpu.state.instret).toBe(0);
    const loop = [encode('addi', { rd: 1, rs1: 1, imm: 1 }), encode('jal', { rd: 0, imm: -4 })];
    exec(loop, {}, 1001);
    expect(cpu.state.instret).toBe(1001);
    expect(regs()[1]).toBe(501);
  });
});
