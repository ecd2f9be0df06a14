/**
 * The packets that read and write registers (`g`, `G`, `p`, `P`) and memory (`m`, `M`, `X`) of one
 * processor: the thread gdb chose with `Hg`. Writes go through the history, which replays them.
 */
import type { Cpu } from '../cpu/cpu.js';
import type { History } from './gdb-history.js';
import { MAX_PACKET, fromHex, fromLe32, hexNum, le32, toHex } from './gdb-packets.js';
import { PC_REGNO, readRegister } from './gdb-registers.js';

/** Where writes go: the processor gdb reads, and its thread for the history's edits (undefined: the followed one). */
export interface Target<S> {
  readonly history: History<S>;
  readonly cpu: Cpu;
  readonly thread: number | undefined;
}

export function readAll(cpu: Cpu): string {
  let out = '';
  for (let n = 0; n <= PC_REGNO; n++) out += le32(readRegister(cpu, n) as number);
  return out;
}

export function writeAll<S>(t: Target<S>, hex: string): string {
  if (hex.length < (PC_REGNO + 1) * 8) return 'E01';
  for (let n = 1; n <= PC_REGNO; n++) {
    const v = fromLe32(hex.slice(n * 8, n * 8 + 8));
    if (v === undefined) return 'E01';
    const cur = readRegister(t.cpu, n);
    if (cur !== v && t.history.edit({ kind: 'register', regno: n, value: v, thread: t.thread })) return 'E01';
  }
  return 'OK';
}

export function readOne(cpu: Cpu, arg: string): string {
  const n = hexNum(arg);
  if (n === undefined) return 'E01';
  const v = readRegister(cpu, n);
  if (v === undefined) return 'E01';
  return v === 'unavailable' ? 'xxxxxxxx' : le32(v);
}

export function writeOne<S>(t: Target<S>, arg: string): string {
  const [r, val = ''] = arg.split('=');
  const n = hexNum(r);
  const v = fromLe32(val);
  if (n === undefined || v === undefined) return 'E01';
  return t.history.edit({ kind: 'register', regno: n, value: v, thread: t.thread }) ? 'E01' : 'OK';
}

export function readMemory(cpu: Cpu, arg: string): string {
  const m = /^([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})$/.exec(arg);
  if (!m) return 'E01';
  const addr = parseInt(m[1]!, 16);
  const len = Math.min(parseInt(m[2]!, 16), MAX_PACKET / 2 - 8);
  // A read that runs off the end of RAM returns the part inside it.
  for (let n = len; n > 0; n = n >> 1) {
    const bytes = cpu.readBytes(addr, n);
    if (bytes) return toHex(bytes);
  }
  return len === 0 ? '' : 'E14';
}

export function writeMemory<S>(t: Target<S>, arg: string, binary: boolean): string {
  const m = /^([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8}):/s.exec(arg);
  if (!m) return 'E01';
  const addr = parseInt(m[1]!, 16);
  const len = parseInt(m[2]!, 16);
  const payload = arg.slice(m[0].length);
  const bytes = binary ? Uint8Array.from(payload, (c) => c.charCodeAt(0) & 0xff) : fromHex(payload);
  if (!bytes || bytes.length !== len) return 'E01';
  if (len === 0) return 'OK';
  return t.history.edit({ kind: 'memory', addr, bytes, thread: t.thread }) ? 'E14' : 'OK';
}
