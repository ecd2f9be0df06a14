/**
 * One gdb connection's protocol: each packet's payload in, the packets to send back out. It knows nothing
 * of sockets (gdb-server.ts carries the bytes), so tests drive it directly. A resumption (`c`, `s`, `vCont`,
 * `bc`, `bs`) is asynchronous: a continue runs in slices and yields between them, so that a Ctrl-C
 * (`interrupt()`) can stop it. Malformed packets get an `E` reply and unknown ones the empty reply.
 */
import type { History } from './gdb-history.js';
import type { MachineEnd } from './gdb-machine.js';
import { targetXml } from './gdb-features.js';
import { MAX_PACKET, fromHex, fromLe32, hexNum, hexToText, le32, textToHex, toHex } from './gdb-packets.js';
import { PC_REGNO, readRegister } from './gdb-registers.js';
import { monitorHelp } from './gdb-monitor.js';

/** How the session ended: gdb detached (`D`), killed the guest (`k`), or is still attached. */
export type SessionEnd = 'detach' | 'kill' | undefined;

/** Steps of a continue between two looks for a Ctrl-C. */
const SLICE = 20_000;

const SIGINT = 2;
const SIGTRAP = 5;
const SIGSEGV = 11;

export class GdbSession<S> {
  readonly breakpoints = new Set<number>();
  ended: SessionEnd;
  /** After `QStartNoAckMode`: packets are no longer acknowledged (gdb stops sending `+` too). */
  noAck = false;
  private interrupted = false;
  private lastStop: string;
  /** The processor gdb saw at the last stop. */
  private seen: string;
  private end: MachineEnd | undefined;

  constructor(
    private readonly history: History<S>,
    /** The `monitor` commands of the machine (gdb-monitor.ts); `help` and `history` are the session's own. */
    private readonly monitor: (command: string) => string,
    /** Told of an internal error while handling a packet (gdb gets `E0f`; the session goes on). */
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.lastStop = this.stop(SIGTRAP);
    this.seen = history.machine.followed;
  }

  /** Ctrl-C: a running (or the next) continue stops at its next slice. */
  interrupt(): void {
    this.interrupted = true;
  }

  /** The replies to one packet (none after `k`). */
  async handle(data: string): Promise<string[]> {
    try {
      return await this.dispatch(data);
    } catch (err) {
      this.onError(err);
      return ['E0f'];
    }
  }

  private async dispatch(data: string): Promise<string[]> {
    const head = data[0] ?? '';
    const rest = data.slice(1);
    switch (head) {
      case '?':
        return [this.lastStop];
      case 'g':
        return [this.readAll()];
      case 'G':
        return [this.writeAll(rest)];
      case 'p':
        return [this.readOne(rest)];
      case 'P':
        return [this.writeOne(rest)];
      case 'm':
        return [this.readMemory(rest)];
      case 'M':
        return [this.writeMemory(rest, false)];
      case 'X':
        return [this.writeMemory(rest, true)];
      case 'Z':
      case 'z':
        return [this.breakpoint(head === 'Z', rest)];
      case 's':
        return this.resume('step');
      case 'c':
        return this.resume('continue');
      case 'b':
        if (rest === 's') return this.resume('reverse-step');
        if (rest === 'c') return this.resume('reverse-continue');
        return [''];
      case 'H':
        return ['OK'];
      case 'T':
        return [rest === '1' || rest === '01' ? 'OK' : 'E01'];
      case 'k':
        this.ended = 'kill';
        return [];
      case 'D':
        this.ended = 'detach';
        return ['OK'];
      case 'q':
      case 'Q':
        return [this.query(data)];
      case 'v':
        return this.vPacket(data);
      default:
        return [''];
    }
  }

  private query(data: string): string {
    if (data.startsWith('qSupported')) {
      return `PacketSize=${MAX_PACKET.toString(16)};QStartNoAckMode+;qXfer:features:read+;swbreak+;hwbreak+;ReverseStep+;ReverseContinue+`;
    }
    if (data.startsWith('qXfer:features:read:')) return this.xfer(data.slice('qXfer:features:read:'.length));
    if (data === 'QStartNoAckMode') {
      this.noAck = true;
      return 'OK';
    }
    if (data === 'qAttached' || data.startsWith('qAttached:')) return '1';
    if (data === 'qC') return 'QC01';
    if (data === 'qfThreadInfo') return 'm01';
    if (data === 'qsThreadInfo') return 'l';
    if (data.startsWith('qSymbol')) return 'OK';
    if (data.startsWith('qRcmd,')) {
      const text = hexToText(data.slice(6));
      if (text === undefined) return 'E01';
      return textToHex(this.monitorCommand(text.trim()) + '\n');
    }
    return '';
  }

  private monitorCommand(cmd: string): string {
    if (cmd === 'help' || cmd === '') return monitorHelp();
    if (cmd === 'history') {
      const h = this.history;
      return `position ${h.position} (instructions stepped since reset); ${h.snapshots} snapshot(s), one every ${h.spacing} instructions`;
    }
    return this.monitor(cmd);
  }

  private xfer(args: string): string {
    const m = /^target\.xml:([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(args);
    if (!m) return 'E00';
    const xml = targetXml();
    const off = parseInt(m[1]!, 16);
    const len = parseInt(m[2]!, 16);
    const chunk = xml.slice(off, off + len);
    return (off + len >= xml.length ? 'l' : 'm') + chunk;
  }

  private vPacket(data: string): string[] | Promise<string[]> {
    if (data === 'vCont?') return ['vCont;c;C;s;S'];
    if (data.startsWith('vCont;')) {
      for (const action of data.slice(6).split(';')) {
        const [what = '', thread] = action.split(':');
        if (thread !== undefined && !/^(-1|0*1|p0*1\.(-1|0*1))$/.test(thread)) continue;
        if (what[0] === 's' || what[0] === 'S') return this.resume('step');
        if (what[0] === 'c' || what[0] === 'C') return this.resume('continue');
        return ['E01'];
      }
      return ['E01'];
    }
    if (data === 'vKill' || data.startsWith('vKill;')) {
      this.ended = 'kill';
      return ['OK'];
    }
    return [''];
  }

  private readAll(): string {
    let out = '';
    for (let n = 0; n <= PC_REGNO; n++) out += le32(readRegister(this.history.machine.cpu, n) as number);
    return out;
  }

  private writeAll(hex: string): string {
    if (hex.length < (PC_REGNO + 1) * 8) return 'E01';
    for (let n = 1; n <= PC_REGNO; n++) {
      const v = fromLe32(hex.slice(n * 8, n * 8 + 8));
      if (v === undefined) return 'E01';
      const cur = readRegister(this.history.machine.cpu, n);
      if (cur !== v && this.history.edit({ kind: 'register', regno: n, value: v })) return 'E01';
    }
    return 'OK';
  }

  private readOne(arg: string): string {
    const n = hexNum(arg);
    if (n === undefined) return 'E01';
    const v = readRegister(this.history.machine.cpu, n);
    if (v === undefined) return 'E01';
    return v === 'unavailable' ? 'xxxxxxxx' : le32(v);
  }

  private writeOne(arg: string): string {
    const [r, val = ''] = arg.split('=');
    const n = hexNum(r);
    const v = fromLe32(val);
    if (n === undefined || v === undefined) return 'E01';
    return this.history.edit({ kind: 'register', regno: n, value: v }) ? 'E01' : 'OK';
  }

  private readMemory(arg: string): string {
    const m = /^([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})$/.exec(arg);
    if (!m) return 'E01';
    const addr = parseInt(m[1]!, 16);
    const len = Math.min(parseInt(m[2]!, 16), MAX_PACKET / 2 - 8);
    const cpu = this.history.machine.cpu;
    // A read that runs off the end of RAM returns the part inside it.
    for (let n = len; n > 0; n = n >> 1) {
      const bytes = cpu.readBytes(addr, n);
      if (bytes) return toHex(bytes);
    }
    return len === 0 ? '' : 'E14';
  }

  private writeMemory(arg: string, binary: boolean): string {
    const m = /^([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8}):/s.exec(arg);
    if (!m) return 'E01';
    const addr = parseInt(m[1]!, 16);
    const len = parseInt(m[2]!, 16);
    const payload = arg.slice(m[0].length);
    const bytes = binary ? Uint8Array.from(payload, (c) => c.charCodeAt(0) & 0xff) : fromHex(payload);
    if (!bytes || bytes.length !== len) return 'E01';
    if (len === 0) return 'OK';
    return this.history.edit({ kind: 'memory', addr, bytes }) ? 'E14' : 'OK';
  }

  private breakpoint(insert: boolean, arg: string): string {
    const m = /^([01]),([0-9a-fA-F]{1,8}),([0-9a-fA-F]+)/.exec(arg);
    if (!m) return /^[2-4],/.test(arg) ? '' : 'E01'; // watchpoints: not supported
    const addr = parseInt(m[2]!, 16) >>> 0;
    if (insert) this.breakpoints.add(addr);
    else this.breakpoints.delete(addr);
    return 'OK';
  }

  /** A stop reply for signal `sig`, with the thread and the pc (and swbreak when a breakpoint stopped it). */
  private stop(sig: number, why = ''): string {
    const pc = this.history.machine.cpu.state.pc >>> 0;
    return `T${sig.toString(16).padStart(2, '0')}thread:01;${PC_REGNO.toString(16)}:${le32(pc)};${why}`;
  }

  private async resume(how: 'step' | 'continue' | 'reverse-step' | 'reverse-continue'): Promise<string[]> {
    const h = this.history;
    let reply: string;
    const notes: string[] = [];
    if (how === 'reverse-step') {
      reply = h.reverseStep() === 'begin' ? this.stop(SIGTRAP, 'replaylog:begin;') : this.stop(SIGTRAP);
    } else if (how === 'reverse-continue') {
      const r = h.reverseContinue(this.breakpoints);
      reply = r === 'begin' ? this.stop(SIGTRAP, 'replaylog:begin;') : this.stop(SIGTRAP, 'swbreak:;');
    } else {
      const end = how === 'step' ? h.step(false) : await this.continue();
      if (end) {
        if (end !== this.end) notes.push(`O${textToHex(`shadowvm: ${end.message}\n`)}`);
        this.end = end;
        reply = end.status === 'halt' ? `W${(end.exitCode & 0xff).toString(16).padStart(2, '0')}` : this.stop(SIGSEGV);
      } else if (how === 'continue' && this.interrupted) reply = this.stop(SIGINT);
      else if (how === 'continue' && this.breakpoints.has(h.machine.cpu.state.pc >>> 0)) reply = this.stop(SIGTRAP, 'swbreak:;');
      else reply = this.stop(SIGTRAP);
    }
    this.interrupted = false;
    this.lastStop = reply;
    this.seen = h.machine.followed;
    return [...notes, reply];
  }

  /**
   * Runs until a breakpoint (after at least one instruction), the end, or a Ctrl-C. When the processor gdb
   * follows changes (`monitor fail`), it stops after that instruction: gdb's next-pc breakpoints were placed
   * from the other processor's registers.
   */
  private async continue(): Promise<MachineEnd | undefined> {
    const h = this.history;
    if (h.machine.followed !== this.seen) return h.step();
    const cpu = () => h.machine.cpu; // the followed processor may change (a takeover)
    for (;;) {
      for (let i = 0; i < SLICE; i++) {
        const end = h.step();
        if (end) return end;
        if (this.breakpoints.has(cpu().state.pc >>> 0) || h.machine.followed !== this.seen) return undefined;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.interrupted) return undefined;
    }
  }
}
