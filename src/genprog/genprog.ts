/**
 * A generator of valid random guest programs, for the lockstep property and the failover fuzzer.
 *
 * `generateProgram(seed, opts)` gives a flat program (code at RAM_BASE, a data page after it) and the same
 * program as GNU-style assembly text. Every program terminates with `halt`, never faults, and its exit code
 * and console output depend only on the program, never on when interrupts or deferred traps arrive, nor on
 * the computer's clock: so a bare run, a pair run and any failover must agree on both.
 *
 * What it contains (all drawn from `Random(seed)`): RV32I+M ALU work with div/rem corner cases, aligned
 * loads and stores into a scratch area, forward branches, bounded loops counted in s1, Xshadow deferred-trap
 * arithmetic whose operands often overflow or divide by zero, `drain`, precise exceptions the handler skips
 * (ecall, ebreak, misaligned accesses), segments in U mode, `wfi` when a timer runs, reads of time/cycle/seed (logged to
 * memory, never folded in) and of instret (only differences taken with MIE off, which are exact), and with
 * `io` a console connection and a few positional WRITEs through the runtime of genprog-runtime.ts. The exit
 * code is a checksum of the computation (s10, the registers, the stored words) and of the deferred traps
 * the handler saw (s11), shifted right by one so that it is >= 0; failure paths halt with negative codes.
 */
import { RAM_BASE } from '../../isa/csrs.js';
import type { ProgramImage } from '../../isa/image.js';
import { Random } from '../base/random.js';
import { CodeBuilder } from './asm.js';
import { Body } from './body.js';
import { genOptions, type GenOptions } from './options.js';
import { buildData, type WriteSlot } from './data.js';
import { DATA, MAX_WRITES, REG, type RuntimeOptions } from './layout.js';
import { emitFinish, emitSetup, emitStart } from './runtime.js';
import { emitTrapHandler } from './traps.js';
import { emitIoRuntime } from './io-runtime.js';

export { FAIL_CODE, DATA, POOL } from './layout.js';
export { SKIPPED_CAUSES } from './traps.js';
export { GNU_AS_PRELUDE, type WriteSlot } from './data.js';
export { genOptions, type GenOptions } from './options.js';

export interface ProgramInfo {
  readonly seed: number;
  readonly options: Required<GenOptions>;
  /** Instructions in the code (static). */
  readonly codeWords: number;
  /** Address of the data page (ring, IORBs, buffers, log, scratch). */
  readonly dataBase: number;
  /** The console WRITEs in stream order (slot i+1). */
  readonly writes: readonly WriteSlot[];
  /** Bytes the program writes to the console in total. */
  readonly consoleBytes: number;
}

export interface GeneratedProgram {
  readonly image: ProgramImage;
  /** The same program as GNU-style assembly (see GNU_AS_PRELUDE for assembling it with GNU as). */
  readonly source: string;
  readonly expectedHalt: true;
  readonly info: ProgramInfo;
}

/** A valid random program from `seed` (any number); the same seed and options always give the same program. */
export function generateProgram(seed: number, opts: GenOptions = {}): GeneratedProgram {
  const o = genOptions(opts);
  const rng = new Random(seed);
  const c = new CodeBuilder();
  const body = new Body(rng, c, o);
  const rt: RuntimeOptions = { io: o.io, traps: o.traps, timerUs: o.timer ? rng.range(1, 8) : 0 };

  // The console writes: how many, how long, and where among the blocks (shuffled in, in stream order).
  const writes: WriteSlot[] = [];
  if (o.io) {
    let offset = 0;
    for (let n = rng.range(1, MAX_WRITES); n > 0; n--) {
      const len = rng.range(1, 8);
      writes.push({ len, offset });
      offset += len;
    }
  }
  const order: Array<'block' | 'write'> = [...Array<'block'>(o.length).fill('block'), ...writes.map(() => 'write' as const)];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }

  emitSetup(c, rt);
  body.init();
  emitStart(c, rt);
  const blocks = body.topLevel();
  let slot = 0;
  for (const what of order) {
    if (what === 'write') {
      slot++;
      c.comment(`console write ${slot}: ${writes[slot - 1]!.len} letters of the checksum at ${writes[slot - 1]!.offset}`);
      body.fold();
      c.li12(REG.a0, slot);
      c.jal(REG.ra, 'io_write');
    } else body.oneOf(blocks)();
  }
  emitFinish(c, rt, [...body.stored].sort((a, b) => a - b).slice(0, 16));
  emitTrapHandler(c);
  if (o.io) emitIoRuntime(c);

  const codeBytes = c.size * 4;
  const dataBase = RAM_BASE + Math.max(4096, Math.ceil(codeBytes / 4096) * 4096);
  const data = buildData(dataBase, writes);
  const code = c.build(RAM_BASE, data.labels);
  const codeBytesOut = new Uint8Array(code.words.buffer, code.words.byteOffset, code.words.byteLength).slice();
  const symbols = [...code.labels]
    .map(([name, addr]) => ({ name, addr: addr >>> 0 }))
    .sort((a, b) => a.addr - b.addr || (a.name < b.name ? -1 : 1));
  const image: ProgramImage = {
    entry: RAM_BASE,
    segments: [
      { addr: RAM_BASE, bytes: codeBytesOut },
      { addr: dataBase, bytes: data.bytes, zeroFill: DATA.bytes - data.bytes.length },
    ],
    symbols,
  };
  const flag = (b: boolean): string => (b ? 'on' : 'off');
  const header = [
    '# shadowvm generated program (src/genprog/genprog.ts)',
    `# seed ${seed}, length ${o.length}, io ${flag(o.io)}, traps ${flag(o.traps)}, drains ${flag(o.drains)}, exceptions ${flag(o.exceptions)}, user ${flag(o.user)}, timer ${rt.timerUs ? `${rt.timerUs} us` : 'off'}`,
    '# exit code: checksum >>> 1 (>= 0); failures halt with 0xbad00000|mcause, 0xe1000000|io status, 0xee000000|status<<8|tag',
    '  .text',
    '  .globl _start',
  ];
  const source = [...header, ...code.lines, ...data.lines, ''].join('\n');
  return {
    image,
    source,
    expectedHalt: true,
    info: {
      seed,
      options: o,
      codeWords: c.size,
      dataBase,
      writes,
      consoleBytes: writes.reduce((n, w) => n + w.len, 0),
    },
  };
}
