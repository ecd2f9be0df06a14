import { describe, expect, it } from 'vitest';
import { fromLe32 } from '../../src/debug/gdb-packets.js';
import { addrOf, ask, bareSession, brief, image } from './sessions.js';

/** Stores 1..3 to `v`, reads it back, then halts. */
const STORES = `
    .globl _start
_start:
    la t2, v
    li t0, 1
again:
    sw t0, 0(t2)
    addi t0, t0, 1
    li t1, 4
    bne t0, t1, again
    lbu a0, 1(t2)
    lw a0, 0(t2)
    halt a0
    .data
    .align 2
v:  .word 0
`;

describe('watchpoints', () => {
  it('stop after a store (Z2), a load (Z3) or either (Z4) that touches the range, with its address', async () => {
    const img = image(STORES);
    const v = addrOf(img, 'v');
    const { session, history } = bareSession(img);
    const word = async (): Promise<number> => fromLe32(await ask(session, `m${v.toString(16)},4`))!;
    expect(await ask(session, `Z2,${v.toString(16)},4`)).toBe('OK');
    expect(brief(await ask(session, 'c'))).toMatch(new RegExp(`;watch:${v.toString(16)};$`));
    expect(await word()).toBe(1);
    await ask(session, 'c');
    expect(await word()).toBe(2);
    expect(await ask(session, `z2,${v.toString(16)},4`)).toBe('OK');
    // A read watchpoint on the second byte: the lbu of byte 1 hits it at that byte, the sw before do not.
    expect(await ask(session, `Z3,${(v + 1).toString(16)},1`)).toBe('OK');
    const pos = history.position;
    expect(brief(await ask(session, 'c'))).toMatch(new RegExp(`;rwatch:${(v + 1).toString(16)};$`));
    expect(history.position - pos).toBe(8); // the rest of the loop's second turn (3), its third (4), then the lbu
    expect(await ask(session, `z3,${(v + 1).toString(16)},1`)).toBe('OK');
    expect(await ask(session, `Z4,${(v + 2).toString(16)},2`)).toBe('OK');
    expect(brief(await ask(session, 'c'))).toMatch(new RegExp(`;awatch:${(v + 2).toString(16)};$`));
    expect((await session.handle('c')).at(-1)).toBe('W03');
  });
});
