import { describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../isa/csrs.js';
import { encode } from '../../src/asm/encode.js';
import { blockText, translateAt } from '../../src/cpu/translate.js';
import { BlockEngine } from '../../src/cpu/blocks.js';
import { runSlice, type LoopFn } from '../../src/cpu/interp.js';
import { ramViews } from '../../src/cpu/loop-env.js';
import { cpuWith, drive, useBlocks } from './helpers.js';

describe('block translator', () => {
  it('a block ends before a sensitive instruction and runs through a not-taken branch', () => {
    const cpu = cpuWith('addi a0, a0, 1\nbeqz a0, out\naddi a0, a0, 2\nout: csrr a1, mstatus\nhalt a0');
    const m32 = new Int32Array(cpu.state.ram.buffer, cpu.state.ram.byteOffset, 64);
    expect(translateAt(m32, 0)?.k).toBe(3);
    expect(translateAt(m32, 12)).toBeUndefined();
    const text = blockText(m32, 0)!;
    expect(text).toContain('regs[10] = x1 + (1)'); // fields folded to literals
  });

  it('a store that rewrites an instruction of the running block takes effect, as on the interpreter', () => {
    // Patches the `addi a0, a0, 1` below into `addi a0, a0, 100`, three instructions ahead, then runs it.
    const patched = encode('addi', { rd: 10, rs1: 10, imm: 100 });
    const src = `li t0, ${patched}\nla t1, target\nsw t0, 0(t1)\ntarget: addi a0, a0, 1\nhalt a0`;
    const a = drive(cpuWith(src));
    const b = cpuWith(src, { blocks: true });
    const rb = drive(b);
    expect(a.code).toBe(100);
    expect(rb.code).toBe(100);
    expect(b.translatedBlocks).toBeGreaterThan(1);
  });

  it('a slice that stops inside a block stops at the exact instruction, on translated code', () => {
    // A loop of 6 instructions (one block that branches back to its start) and a straight block after it.
    const src =
      'li a0, 0\nli a1, 100\nloop: addi a0, a0, 3\nxori a2, a0, 5\nadd a3, a3, a2\naddi a1, a1, -1\nbnez a1, loop\nslli a4, a3, 2\nsub a5, a4, a0\nhalt a5';
    for (let budget = 1; budget <= 40; budget++) {
      const a = cpuWith(src);
      const b = cpuWith(src, { blocks: true });
      b.run(0); // translate nothing yet: the first slice below decides
      const sa = a.run(budget);
      const sb = b.run(budget);
      expect({ stop: sb, pc: b.state.pc, instret: b.state.instret, regs: [...b.state.regs] }).toEqual({
        stop: sa,
        pc: a.state.pc,
        instret: a.state.instret,
        regs: [...a.state.regs],
      });
    }
    // Those stops ran translated code to the exact instruction. A run that then starts inside the block is
    // interpreted to the next block start, one instruction at a time, and translates no block of its own.
    const counted = (slices: (i: number) => number, runs: number) => {
      const cpu = cpuWith(src);
      let interpreted = 0;
      const counting: LoopFn = (st, v, budget) => {
        const before = st.instret;
        const stop = runSlice(st, v, budget);
        interpreted += st.instret - before;
        return stop;
      };
      const engine = new BlockEngine(cpu.state, ramViews(cpu.state.ram), counting);
      for (let i = 0; i < runs; i++) expect(engine.run(slices(i))).toEqual({ kind: 'budget' });
      return { instret: cpu.state.instret, interpreted, blocks: engine.translated };
    };
    const whole = counted(() => 62, 1);
    const sliced = counted((i) => (i % 4 === 0 ? 5 : 1), 30);
    expect(sliced.instret).toBe(whole.instret);
    expect(whole.interpreted).toBe(0);
    expect(sliced.blocks).toBe(whole.blocks);
    // A run that began inside a block interpreted only up to the next jump (the loop's branch back): at most 5.
    expect(sliced.interpreted).toBeGreaterThan(0);
    expect(sliced.interpreted).toBeLessThanOrEqual(30 * 5);
  });

  it("a block's counted variant tests the count before each instruction", () => {
    const cpu = cpuWith('addi a0, a0, 1\naddi a0, a0, 2\nhalt a0');
    const m32 = new Int32Array(cpu.state.ram.buffer, cpu.state.ram.byteOffset, 64);
    expect(blockText(m32, 0)).not.toContain('>= left');
    expect(blockText(m32, 0, true)).toContain('if (c + 1 >= left) { ex[0] = c + 1; return 4; }');
  });

  it('a device write over translated code drops it', () => {
    const cpu = useBlocks(cpuWith('loop: addi a0, a0, 1\nj loop'));
    cpu.run(100);
    expect(cpu.state.regs[10]).toBe(50);
    cpu.writeWord(RAM_BASE, encode('addi', { rd: 10, rs1: 10, imm: 3 }));
    cpu.run(100);
    expect(cpu.state.regs[10]).toBe(50 + 3 * 50);
  });
});
