/**
 * The text stepper's view: every replica side by side, a column each. A pair keeps its two columns with the
 * registers as primary/backup pairs; a group shows each replica's registers in its own column, marking those
 * that differ from the serving primary's.
 */
import { hex8 } from '../base/format.js';
import { describeMessage } from '../channel/protocol.js';
import { disassemble } from '../asm/disasm.js';
import { ABI_NAMES } from '../../isa/registers.js';
import type { ProgramImage } from '../../isa/image.js';
import { replicaSummary, type ReplicaSummary } from './replica-summary.js';
import type { StepColumn } from './step-target.js';

/** Marks a differing cell (red on a terminal, *like this* otherwise); the text is padded by one each side. */
export type Mark = (text: string) => string;

/** The six lines at the head of a replica's column. */
function columnLines(title: string, s: ReplicaSummary): string[] {
  const status = s.status === 'failed' ? 'failed (fail-stop)' : s.status;
  const instruction = s.word === undefined ? '<outside RAM>' : disassemble(s.word, s.pc).replace(/^(\S+)\t/, (_, m: string) => m.padEnd(8));
  return [
    `${title} [${s.role}] ${status}`,
    `pc ${hex8(s.pc)}${s.where ? ` <${s.where}>` : ''}`,
    `   ${instruction}`,
    `epoch ${s.epoch}  rr ${s.rr}  instret ${s.instret}`,
    `buffered: ${s.buffered.interrupts.length} intr  V1 ${hex8(s.buffered.v1)} V2 ${hex8(s.buffered.v2)}`,
    `hw: V1 ${hex8(s.pending.v1)} V2 ${hex8(s.pending.v2)} mip ${hex8(s.pending.mip)}`,
  ];
}

/** A pair: two columns, then each register as primary/backup, then the channel. */
export function pairView(cols: readonly StepColumn[], symbols: ProgramImage['symbols'], mark: Mark): string {
  const [P, B] = cols as [StepColumn, StepColumn];
  const left = columnLines('PRIMARY', replicaSummary(P.monitor, symbols));
  const right = columnLines('BACKUP', replicaSummary(B.monitor, symbols));
  const pr = P.monitor.computer.cpu.state.regs;
  const br = B.monitor.computer.cpu.state.regs;
  const lines: string[] = [];
  const width = 44;
  for (let i = 0; i < Math.max(left.length, right.length); i++) lines.push((left[i] ?? '').padEnd(width) + ' | ' + (right[i] ?? ''));
  lines.push('-'.repeat(width) + '-+-' + '-'.repeat(width));
  for (let row = 0; row < 8; row++) {
    const cells: string[] = [];
    for (let col = 0; col < 4; col++) {
      const i = row * 4 + col;
      const text = `${ABI_NAMES[i]!.padStart(4)}=${hex8(pr[i]!)}/${hex8(br[i]!)}`;
      cells.push(pr[i] !== br[i] ? mark(text) : ` ${text} `);
    }
    lines.push(cells.join(' '));
  }
  const chan = B.queue;
  lines.push(`channel: ${chan.length} message(s)${chan.length ? '' : ' (empty)'}`);
  for (const m of chan.slice(0, 8)) lines.push(`  ${describeMessage(m)}`);
  if (chan.length > 8) lines.push(`  ... ${chan.length - 8} more`);
  return lines.join('\n') + '\n';
}

const GROUP_WIDTH = 42;
/** Messages shown of each backup's channel. */
const QUEUE_SHOWN = 3;

/** One group replica's column: its head, its registers two a line, and what waits on its channel. */
function groupColumn(c: StepColumn, primary: StepColumn, symbols: ProgramImage['symbols'], mark: Mark): Array<[string, number]> {
  const title = c.rank === undefined ? c.name.toUpperCase() : `${c.name.toUpperCase()} (rank ${c.rank})`;
  const out: Array<[string, number]> = columnLines(title, replicaSummary(c.monitor, symbols)).map((l) => [l, l.length]);
  out.push(['', 0]);
  const regs = c.monitor.computer.cpu.state.regs;
  const ref = primary.monitor.computer.cpu.state.regs;
  for (let i = 0; i < 32; i += 2) {
    const cells = [i, i + 1].map((k) => {
      const text = `${ABI_NAMES[k]!.padStart(4)}=${hex8(regs[k]!)}`;
      return c !== primary && regs[k] !== ref[k] ? mark(text) : ` ${text} `;
    });
    out.push([cells.join(' '), 2 * 15 + 1]);
  }
  out.push(['', 0]);
  const q = c.queue;
  const head = c.rank === 0 ? 'channel: (the primary sends)' : `channel: ${q.length} message(s)${q.length ? '' : ' (empty)'}`;
  out.push([head, head.length]);
  for (const m of q.slice(0, QUEUE_SHOWN)) {
    const line = `  ${describeMessage(m)}`.slice(0, GROUP_WIDTH);
    out.push([line, line.length]);
  }
  if (q.length > QUEUE_SHOWN) out.push([`  ... ${q.length - QUEUE_SHOWN} more`, `  ... ${q.length - QUEUE_SHOWN} more`.length]);
  return out;
}

/** A group: a column per replica, the live ones by rank and then the failed, and the group's notes under them. */
export function groupView(cols: readonly StepColumn[], symbols: ProgramImage['symbols'], mark: Mark, notes: readonly string[]): string {
  const primary = cols[0]!;
  const columns = cols.map((c) => groupColumn(c, primary, symbols, mark));
  const rows = Math.max(...columns.map((c) => c.length));
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    // Padding counts the visible characters: a marked cell's colour codes take no room on the screen.
    const cells = columns.map(([...c], k) => {
      const [text, width] = c[i] ?? ['', 0];
      return k === columns.length - 1 ? text : text + ' '.repeat(Math.max(0, GROUP_WIDTH - width));
    });
    lines.push(cells.join(' | ').trimEnd());
  }
  return [...lines, ...notes].join('\n') + '\n';
}
