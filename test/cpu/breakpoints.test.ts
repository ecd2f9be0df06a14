import { describe, expect, it } from 'vitest';
import { cpuWith, useBlocks } from './helpers.js';

const LOOP = `
    .globl _start
_start:
    li t0, 0
    li t1, 5
loop:
    addi t0, t0, 1
    bne t0, t1, loop
    halt t0
`;
const LOOP_AT = 0x80000008;

describe("a debugger's breakpoints", () => {
  it('stop the processor before the instruction, not at the instret they are armed past, and on blocks too', () => {
    for (const blocks of [false, true]) {
      const cpu = cpuWith(LOOP);
      if (blocks) useBlocks(cpu);
      cpu.armBreakpoints([LOOP_AT], 0);
      expect(cpu.run(100)).toEqual({ kind: 'break' });
      expect([cpu.state.pc, cpu.state.instret, cpu.breakHit]).toEqual([LOOP_AT, 2, true]);
      // Resumed from the breakpoint (armed past instret 2): one turn of the loop, then the breakpoint again.
      cpu.armBreakpoints([LOOP_AT], cpu.state.instret);
      expect(cpu.run(100)).toEqual({ kind: 'break' });
      expect([cpu.state.instret, cpu.state.regs[5]]).toEqual([4, 1]);
      // The budget stops first when it ends there.
      cpu.armBreakpoints([LOOP_AT], cpu.state.instret);
      expect(cpu.run(1)).toEqual({ kind: 'budget' });
      cpu.disarmBreakpoints();
      expect(cpu.breakHit).toBe(false);
      expect(cpu.run(100)).toEqual({ kind: 'sensitive', word: expect.any(Number) });
      expect(cpu.state.regs[5]).toBe(5);
    }
  });
});
