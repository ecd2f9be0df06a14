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
