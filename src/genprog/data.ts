/**
 * The data page of a generated program (layout in genprog-runtime.ts `DATA`): the completion ring, the
 * pending mask, the IORBs of the CONNECT and of each console WRITE, their buffers, the log and the scratch
 * area, as bytes and as GNU-style data directives. Also the prelude that lets GNU as read the source.
 */
import { hex } from '../base/format.js';
import { DATA, MAX_WRITES } from './layout.js';

/** One console WRITE of the program: its slot's length and stream offset, fixed at generation. */
export interface WriteSlot {
  readonly len: number;
  readonly offset: number;
}

export interface BuiltData {
  /** The initialised part (DATA.initBytes); the rest of DATA.bytes loads as zero fill. */
  readonly bytes: Uint8Array;
  readonly lines: readonly string[];
  readonly labels: ReadonlyMap<string, number>;
}

/** The data area at `base` (page aligned): ring, pending mask, IORBs (slot 0 CONNECT, then the WRITEs), buffers, log, scratch. */
export function buildData(base: number, writes: readonly WriteSlot[]): BuiltData {
  if (writes.length > MAX_WRITES) throw new Error(`genprog: at most ${MAX_WRITES} writes, got ${writes.length}`);
  const bytes = new Uint8Array(DATA.bytes);
  const view = new DataView(bytes.buffer);
  const lines: string[] = ['  .balign 4096, 0'];
  const labels = new Map<string, number>();
  let at = 0;
  const label = (name: string): void => {
    labels.set(name, base + at);
    lines.push(`${name}:`);
  };
  const space = (n: number, comment?: string): void => {
    if (n <= 0) return;
    lines.push(comment ? `  ${`.space ${n}`.padEnd(28)} # ${comment}` : `  .space ${n}`);
    at += n;
  };
  const words = (ws: readonly number[], comment: string): void => {
    ws.forEach((w, i) => view.setUint32(at + 4 * i, w >>> 0, true));
    lines.push(`  ${`.word ${ws.map((w) => (w >>> 0 > 9 ? hex(w) : String(w))).join(', ')}`.padEnd(28)} # ${comment}`);
    at += 4 * ws.length;
  };
  const padTo = (off: number): void => space(off - at);

  label('data');
  label('ring');
  space(8 + DATA.ringCapacity * 16, `head, tail, ${DATA.ringCapacity} records {tag, status, result, device}`);
  padTo(DATA.pending);
  label('io_pending');
  words([0], 'bit s: slot s issued, no COMPLETED record yet');
  label('io_disconnects');
  words([0], 'DISCONNECTED records seen');
  padTo(DATA.iorbs);
  for (let s = 0; s <= MAX_WRITES; s++) {
    const w = s === 0 ? undefined : writes[s - 1];
    label(`iorb_${s}`);
    if (s === 0) words([1, 0, 0, 0, 0, 0, 0, 0], 'CONNECT console, tag 0');
    else if (w) {
      const buf = base + DATA.buffers + DATA.bufferBytes * s;
      words([3, 0, s, buf, w.len, w.offset, 0, 0], `WRITE console, tag ${s}, buf_${s}, ${w.len} bytes at ${w.offset}`);
    } else space(32, 'unused');
  }
  padTo(DATA.buffers);
  for (let s = 0; s <= MAX_WRITES; s++) {
    label(`buf_${s}`);
    space(DATA.bufferBytes);
  }
  padTo(DATA.log);
  label('log');
  space(DATA.logWords * 4, 'nondeterministic reads and instret values, never read back');
  label('scratch');
  space(DATA.scratchBytes, 'loads and stores of the computation');
  if (at !== DATA.bytes) throw new Error(`genprog: data layout is ${at} bytes, expected ${DATA.bytes}`);
  return { bytes: bytes.subarray(0, DATA.initBytes), lines, labels };
}

/**
 * Definitions that let GNU as (`riscv64-unknown-elf-as -march=rv32im_zicsr`) assemble a generated source:
 * the Xshadow instructions as `.insn` macros and the Xshadow CSR names. The project's assembler knows them.
 */
export const GNU_AS_PRELUDE = [
  '.equ xtv1, 0x7c0',
  '.equ xtv2, 0x7c1',
  '.equ xioq, 0x7c2',
  '.equ xioqn, 0x7c3',
  '.equ xtimer, 0x7c4',
  ...(['addv', 'subv', 'mulv', 'divv'] as const).map(
    (m, f3) => `.macro ${m} rd, rs1, rs2\n  .insn r 0x0b, ${f3}, 0, \\rd, \\rs1, \\rs2\n.endm`,
  ),
  '.macro drain\n  .insn r 0x0b, 4, 0, x0, x0, x0\n.endm',
  '.macro io rd, rs1\n  .insn i 0x2b, 0, \\rd, \\rs1, 0\n.endm',
  '.macro halt rs1\n  .insn i 0x2b, 1, x0, \\rs1, 0\n.endm',
].join('\n');
