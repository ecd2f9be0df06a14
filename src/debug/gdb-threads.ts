/**
 * The replicas as gdb threads: thread 1 is the primary and thread 2 the backup (a bare computer is thread 1
 * alone). gdb lists them with `qXfer:threads:read` (`info threads`), reads one with `Hg` (`thread N`), and
 * names the one it resumes in `vCont` or `Hc`; the debugger then follows that replica.
 */
import type { DebugMachine } from './gdb-machine.js';

/** A thread id of `H`, `T` or `vCont`: a number, 'all' (-1) or 'any' (0); undefined when malformed. */
export function parseThread(text: string): number | 'all' | 'any' | undefined {
  if (text === '-1') return 'all';
  if (!/^[0-9a-fA-F]{1,8}$/.test(text)) return undefined;
  const n = parseInt(text, 16);
  return n === 0 ? 'any' : n;
}

/**
 * A `vCont;ACTIONS` packet (without `vCont;`): the first action decides, as gdb puts the thread it steps first
 * (`vCont;s:2;c`). `alone`: one thread resumed with the others held (`vCont;c:1` after planting a breakpoint
 * at the next pc, as gdb's RISC-V steps in software), which is gdb stepping that thread over a breakpoint:
 * it requires the stop in that very thread (gdb 13 fails an assertion in finish_step_over otherwise).
 */
export function parseVCont(actions: string): { how: 'step' | 'continue'; thread: number | 'all' | 'any'; alone: boolean } | undefined {
  const list = actions.split(';');
  const [what = '', id] = list[0]!.split(':');
  const thread = id === undefined ? 'all' : parseThread(id);
  const how = /^[sS]/.test(what) ? 'step' : /^[cC]/.test(what) ? 'continue' : undefined;
  if (thread === undefined || how === undefined) return undefined;
  return { how, thread, alone: list.length === 1 && typeof thread === 'number' };
}

/** What the stub says when gdb resumes alone a thread the debugger no longer follows (a failed replica). */
export function leftBehindNote<S>(machine: DebugMachine<S>, thread: number, pc: number): string {
  const followed = machine.followedThread;
  return (
    `shadowvm: thread ${thread} (${machine.threads[thread - 1]}) has failed and runs no more; the debugger follows thread ` +
    `${followed} (${machine.threads[followed - 1]}). gdb steps a thread over a breakpoint at its pc before it resumes any ` +
    `other: delete the breakpoints at 0x${pc.toString(16).padStart(8, '0')} to go on\n`
  );
}

const escape = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The document of `qXfer:threads:read`. */
export function threadsXml<S>(machine: DebugMachine<S>): string {
  const rows = machine.threads.map(
    (name, i) => `<thread id="${(i + 1).toString(16)}" name="${escape(name)}">${escape(machine.describeThread(i + 1))}</thread>`,
  );
  return `<?xml version="1.0"?>\n<threads>\n${rows.join('\n')}\n</threads>\n`;
}

/** The `m`/`l` reply to a `qXfer:...:read:ANNEX:OFF,LEN` for `doc`; undefined when OFF,LEN is malformed. */
export function xferChunk(doc: string, range: string): string | undefined {
  const m = /^([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(range);
  if (!m) return undefined;
  const off = parseInt(m[1]!, 16);
  const len = parseInt(m[2]!, 16);
  return (off + len >= doc.length ? 'l' : 'm') + doc.slice(off, off + len);
}
