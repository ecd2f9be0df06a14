import { describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../isa/csrs.js';
import { encode } from '../../src/asm/encode.js';
import { blockText, translateAt } from '../../src/cpu/translate.js';
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

  it('a device write over translated code drops it', () => {
    const cpu = useBlocks(cpuWith('loop: addi a0, a0, 1\nj loop'));
    cpu.run(100);
    expect(cpu.state.regs[10]).toBe(50);
    cpu.writeWord(RAM_BASE, encode('addi', { rd: 10, rs1: 10, imm: 3 }));
    cpu.run(100);
    expect(cpu.state.regs[10]).toBe(50 + 3 * 50);
  });
});
