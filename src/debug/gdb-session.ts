/**
 * One gdb connection's protocol: each packet's payload in, the packets to send back out. It knows nothing
 * of sockets (gdb-server.ts carries the bytes), so tests drive it directly. A resumption (`c`, `s`, `vCont`,
 * `bc`, `bs`) is asynchronous: a continue runs in slices and yields between them, so that a Ctrl-C
 * (`interrupt()`) can stop it. Malformed packets get an `E` reply and unknown ones the empty reply.
 */
import type { History } from './gdb-history.js';
import type { MachineEnd } from './gdb-machine.js';
import type { Cpu } from '../cpu/cpu.js';
import { targetXml } from './gdb-features.js';
import { MAX_PACKET, hexToText, textToHex } from './gdb-packets.js';
import { readAll, readMemory, readOne, writeAll, writeMemory, writeOne, type Target } from './gdb-access.js';
import { monitorHelp } from './gdb-monitor.js';
import { SIGINT, SIGSEGV, SIGTRAP, stopReply } from './gdb-stop.js';
import { leftBehindNote, parseThread, parseVCont, threadsXml, xferChunk } from './gdb-threads.js';
import { Watchpoints, accessAt, watchReason, type WatchKind } from './gdb-watch.js';

/** How the session ended: gdb detached (`D`), killed the guest (`k`), or is still attached. */
export type SessionEnd = 'detach' | 'kill' | undefined;

/** Instructions of a continue between two looks for a Ctrl-C (about 10 ms at the engine's speed). */
const SLICE = 500_000;

export class GdbSession<S> {
  readonly breakpoints = new Set<number>();
  readonly watchpoints = new Watchpoints();
  /** The thread `Hg` chose for registers and memory (0: the followed one). */
  private view = 0;
  /** The thread `Hc` chose to resume (0: the followed one). */
  private resumeThread = 0;
  ended: SessionEnd;
  /** After `QStartNoAckMode`: packets are no longer acknowledged (gdb stops sending `+` too). */
  noAck = false;
  private interrupted = false;
  private lastStop: string;
  /** The processor gdb saw at the last stop. */
  private seen: string;
  private end: MachineEnd | undefined;
  /** The watchpoint the last resumption hit (`watch:ADDR;`). */
  private watchHit: string | undefined;

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
        return [readAll(this.viewCpu)];
      case 'G':
        return [writeAll(this.target, rest)];
      case 'p':
        return [readOne(this.viewCpu, rest)];
      case 'P':
        return [writeOne(this.target, rest)];
      case 'm':
        return [readMemory(this.viewCpu, rest)];
      case 'M':
        return [writeMemory(this.target, rest, false)];
      case 'X':
        return [writeMemory(this.target, rest, true)];
      case 'Z':
      case 'z':
        return [this.breakpoint(head === 'Z', rest)];
      case 's':
        return this.resume('step', this.resumeThread);
      case 'c':
        return this.resume('continue', this.resumeThread);
      case 'b':
        if (rest === 's') return this.resume('reverse-step');
        if (rest === 'c') return this.resume('reverse-continue');
        return [''];
      case 'H':
        return [this.selectThread(rest)];
      case 'T': {
        const t = parseThread(rest);
        return [typeof t === 'number' && this.history.machine.cpuOf(t) ? 'OK' : 'E01'];
      }
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
      return `PacketSize=${MAX_PACKET.toString(16)};QStartNoAckMode+;qXfer:features:read+;qXfer:threads:read+;swbreak+;hwbreak+;ReverseStep+;ReverseContinue+`;
    }
    if (data.startsWith('qXfer:features:read:target.xml:')) return xferChunk(targetXml(), data.slice(31)) ?? 'E00';
    if (data.startsWith('qXfer:features:read:')) return 'E00';
    if (data.startsWith('qXfer:threads:read::')) return xferChunk(threadsXml(this.history.machine), data.slice(20)) ?? 'E00';
    if (data === 'QStartNoAckMode') {
      this.noAck = true;
      return 'OK';
    }
    if (data === 'qAttached' || data.startsWith('qAttached:')) return '1';
    if (data === 'qC') return `QC${this.history.machine.followedThread.toString(16).padStart(2, '0')}`;
    if (data === 'qfThreadInfo') return 'm' + this.history.machine.threads.map((_, i) => (i + 1).toString(16)).join(',');
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

  /** `Hg N` (the thread registers and memory are read from) or `Hc N` (the thread to resume). */
  private selectThread(arg: string): string {
    const t = parseThread(arg.slice(1));
    if (t === undefined || (typeof t === 'number' && !this.history.machine.cpuOf(t))) return 'E01';
    const n = typeof t === 'number' ? t : 0;
    if (arg[0] === 'g') this.view = n;
    else if (arg[0] === 'c') this.resumeThread = n;
    else return 'E01';
    return 'OK';
  }

  /** The processor registers and memory are read from and written to (`Hg`). */
  private get viewCpu(): Cpu {
    const m = this.history.machine;
    return (this.view && m.cpuOf(this.view)) || m.cpu;
  }

  /** What register and memory writes go to: the `Hg` thread (undefined for the followed one). */
  private get target(): Target<S> {
    const thread = this.view && this.view !== this.history.machine.followedThread ? this.view : undefined;
    return { history: this.history, cpu: this.viewCpu, thread };
  }

  private vPacket(data: string): string[] | Promise<string[]> {
    if (data === 'vCont?') return ['vCont;c;C;s;S'];
    if (data.startsWith('vCont;')) {
      const r = parseVCont(data.slice(6));
      if (r === undefined) return ['E01'];
      if (r.alone) return this.resumeAlone(r.how, r.thread as number);
      return this.resume(r.how, typeof r.thread === 'number' ? r.thread : this.resumeThread);
    }
    if (data === 'vKill' || data.startsWith('vKill;')) {
      this.ended = 'kill';
      return ['OK'];
    }
    return [''];
  }

  private breakpoint(insert: boolean, arg: string): string {
    const m = /^([0-4]),([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})/.exec(arg);
    if (!m) return 'E01';
    const kind = Number(m[1]);
    const addr = parseInt(m[2]!, 16) >>> 0;
    if (kind >= 2) {
      const len = parseInt(m[3]!, 16);
      if (len === 0) return 'E01';
      if (insert) this.watchpoints.add(kind as WatchKind, addr, len);
      else this.watchpoints.remove(kind as WatchKind, addr, len);
    } else if (insert) this.breakpoints.add(addr);
    else this.breakpoints.delete(addr);
    return 'OK';
  }

  /** A stop reply for signal `sig` in the followed thread (and swbreak, watch... when one stopped it). */
  private stop(sig: number, why = ''): string {
    const m = this.history.machine;
    return stopReply(sig, m.followedThread, m.cpu, why);
  }

  private async resume(how: 'step' | 'continue' | 'reverse-step' | 'reverse-continue', thread = 0): Promise<string[]> {
    const h = this.history;
    let reply: string;
    const notes: string[] = [];
    if (thread !== 0 && thread !== h.machine.followedThread) {
      const err = h.edit({ kind: 'follow', thread });
      if (err) return [`O${textToHex(`shadowvm: cannot resume thread ${thread}: ${err}\n`)}`, 'E01'];
      this.seen = h.machine.followed;
    }
    this.watchHit = undefined;
    if (how === 'reverse-step') {
      reply = h.reverseStep() === 'begin' ? this.stop(SIGTRAP, 'replaylog:begin;') : this.stop(SIGTRAP);
    } else if (how === 'reverse-continue') {
      const r = h.reverseContinue(this.breakpoints);
      reply = r === 'begin' ? this.stop(SIGTRAP, 'replaylog:begin;') : this.stop(SIGTRAP, 'swbreak:;');
    } else {
      const end = how === 'step' ? this.watchedStep(false) : await this.continue();
      if (end) {
        if (end !== this.end) notes.push(`O${textToHex(`shadowvm: ${end.message}\n`)}`);
        this.end = end;
        reply = end.status === 'halt' ? `W${(end.exitCode & 0xff).toString(16).padStart(2, '0')}` : this.stop(SIGSEGV);
      } else if (this.watchHit) reply = this.stop(SIGTRAP, this.watchHit);
      else if (how === 'continue' && this.interrupted) reply = this.stop(SIGINT);
      else if (how === 'continue' && this.breakpoints.has(h.machine.cpu.state.pc >>> 0)) reply = this.stop(SIGTRAP, 'swbreak:;');
      else reply = this.stop(SIGTRAP);
    }
    this.interrupted = false;
    this.lastStop = reply;
    this.seen = h.machine.followed;
    return [...notes, reply];
  }

  /**
   * A resumption of `thread` alone, reported in that thread. A replica that failed (before, or by `monitor
   * fail` at this resumption) stays where it is, with a note: the debugger follows the backup from then on.
   */
  private async resumeAlone(how: 'step' | 'continue', thread: number): Promise<string[]> {
    const m = this.history.machine;
    const cpu = m.cpuOf(thread);
    if (!cpu) return ['E01'];
    const leftBehind = (): string[] => {
      this.lastStop = stopReply(SIGTRAP, thread, cpu);
      return [`O${textToHex(leftBehindNote(m, thread, cpu.state.pc >>> 0))}`, this.lastStop];
    };
    if (thread !== m.followedThread) {
      if (this.history.edit({ kind: 'follow', thread }) !== undefined) return leftBehind();
      this.seen = m.followed;
    }
    const out = await this.resume(how, thread);
    return m.followedThread === thread || out.at(-1)![0] !== 'T' ? out : [...out.slice(0, -1), ...leftBehind()];
  }

  /** One instruction, noting a watchpoint it hits (`watchHit`). */
  private watchedStep(keep: boolean): MachineEnd | undefined {
    const h = this.history;
    const access = this.watchpoints.size > 0 ? accessAt(h.machine.cpu) : undefined;
    const end = h.step(keep);
    if (!end && access) this.watchHit = this.watchpoints.hit(access);
    return end;
  }

  /**
   * Runs until a breakpoint (after at least one instruction), a watchpoint, the end, or a Ctrl-C, in slices at
   * the interpreter's speed. When the processor gdb follows
   * changes (`monitor fail`), it stops after that instruction: gdb's next-pc breakpoints were placed from the
   * other processor's registers.
   */
  private async continue(): Promise<MachineEnd | undefined> {
    const h = this.history;
    if (h.machine.followed !== this.seen) return h.step();
    for (;;) {
      const r = h.run(SLICE, this.breakpoints, this.watchpoints.ranges);
      if (typeof r === 'object') return r;
      if (r === 'watch') this.watchHit = watchReason(h.watchHit!);
      if (r !== 'goal') return undefined;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.interrupted) return undefined;
    }
  }
}
