/** Gdb sessions over small guests, driven in-process (no socket), for the stub's tests. */
import { programFromBytes } from '../../src/asm/load.js';
import type { ProgramImage } from '../../isa/image.js';
import { Computer } from '../../src/hw/computer.js';
import { World } from '../../src/hw/world.js';
import { Pair, type PairOptions } from '../../src/ft/pair.js';
import { History } from '../../src/debug/gdb-history.js';
import { BareDebugMachine } from '../../src/debug/gdb-bare.js';
import { PairDebugMachine, type Side } from '../../src/debug/gdb-pair.js';
import { GdbSession } from '../../src/debug/gdb-session.js';
import { monitorCommands } from '../../src/debug/gdb-monitor.js';
import { hexToText } from '../../src/debug/gdb-packets.js';

/** Counts to 300 in a loop (`loop` runs 300 times), then halts with code 7. */
export const LOOP = `
    .globl _start
_start:
    li t0, 0
    li t1, 300
loop:
    addi t0, t0, 1
    addi a1, a1, 3
    bne t0, t1, loop
done:
    li a0, 7
    halt a0
`;

export const image = (src = LOOP): ProgramImage => programFromBytes('loop.s', new TextEncoder().encode(src));

export const addrOf = (img: ProgramImage, name: string): number => img.symbols.find((s) => s.name === name)!.addr >>> 0;

export function bareSession(img = image(), every = 64) {
  const world = new World();
  const computer = new Computer({ seed: 1, world, name: 'computer', ramMiB: 1 });
  computer.load(img);
  const history = new History(new BareDebugMachine(computer, world, 1_000_000), every, 16);
  return { history, session: new GdbSession(history, monitorCommands(history, false)) };
}

export function pairSession(side: Side, opts: PairOptions = { monitor: { epochLength: 64 }, ramMiB: 1 }, img = image(), every = 64) {
  const machine = new PairDebugMachine(new Pair(img, opts), opts, side, img);
  const history = new History(machine, every, 16);
  return { machine, history, session: new GdbSession(history, monitorCommands(history, true)) };
}

/** The last reply to `packet`. */
export async function ask<S>(session: GdbSession<S>, packet: string): Promise<string> {
  const r = await session.handle(packet);
  return r[r.length - 1]!;
}

/** The text of a `monitor` command's reply. */
export async function monitor<S>(session: GdbSession<S>, command: string): Promise<string> {
  return hexToText(await ask(session, 'qRcmd,' + Buffer.from(command).toString('hex')))!;
}

/** A stop reply without its expedited x0-x31 (`00:...;` to `1f:...;`): the thread, pc and reason remain. */
export const brief = (reply: string): string => reply.replace(/(?<=;)[01][0-9a-f]:[0-9a-f]{8};/g, '');
