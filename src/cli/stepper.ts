/**
 * Side-by-side stepping of a pair: the engine behind `shadowvm step`. It advances the primary by
 * instructions, to the next epoch end or to an address, lets the backup execute every epoch it has been
 * told of, and renders both replicas next to each other (pc and disassembly, registers with differences
 * marked, epoch and recovery register, buffered interrupts and traps, the channel's contents).
 */
import { hex8 } from '../base/format.js';
import { Pair, type PairOptions } from '../ft/pair.js';
import type { ProgramImage } from '../../isa/image.js';
import type { Monitor } from '../vmm/monitor.js';
import { describeMessage } from '../channel/protocol.js';
import { disassemble } from '../asm/disasm.js';
import { RAM_BASE } from '../../isa/csrs.js';
import { DEFAULTS } from '../base/defaults.js';
import { Deadline } from './deadline.js';
import { runPairTimed } from './timed-run.js';
import { exitsSpent } from './exit-budget.js';
import { describeBudget, describeStop, describeTimeout } from './report.js';
import { ABI_NAMES } from '../../isa/registers.js';

export interface StepperCommandResult {
  readonly output: string;
  readonly quit: boolean;
}

/** How long one command may run: the instruction budget of the pair (per computer) and a wall-clock limit. */
export interface StepperLimits {
  /** Seconds one command may take (`--timeout`); none by default. */
  readonly timeoutSec?: number;
  /** The clock, in milliseconds (tests pass their own). */
  readonly now?: () => number;
  /** Single steps (`s N`, `g`) between two looks at the clock. */
  readonly checkEvery?: number;
}

export class Stepper {
  readonly pair: Pair;
  private readonly symbols: ProgramImage['symbols'];
  private readonly limit: number;
  private deadline: Deadline;

  constructor(
    private readonly image: ProgramImage,
    opts: PairOptions,
    private readonly color: boolean,
    private readonly limits: StepperLimits = {},
  ) {
    this.pair = new Pair(image, opts);
    this.symbols = image.symbols;
    this.limit = opts.maxInstructions ?? DEFAULTS.maxInstructions;
    this.deadline = this.newDeadline();
  }

  private newDeadline(): Deadline {
    return new Deadline(this.limits.timeoutSec, this.limits.now);
  }

  /** The budget line, when the serving computer has used its instruction budget. */
  private budgetLine(): string {
    const st = this.pair.serving.computer.cpu.state;
    const exits = this.pair.serving.exitBudget;
    if (exitsSpent(exits)) return describeBudget(st.instret, st.pc >>> 0, this.image, exits!.limit) + '\n';
    return st.instret >= this.limit ? describeBudget(st.instret, st.pc >>> 0, this.image) + '\n' : '';
  }

  private timeoutLine(): string {
    const st = this.pair.serving.computer.cpu.state;
    return describeTimeout(this.limits.timeoutSec!, st.instret, st.pc >>> 0, this.image) + '\n';
  }

  /** Executes one command line (`s [N]`, `e`, `g ADDR|SYMBOL`, `c`, `b`, `v`, `h`, `q`) and returns what to show. */
  command(line: string): StepperCommandResult {
    const [cmd = '', arg] = line.trim().split(/\s+/);
    this.deadline = this.newDeadline();
    switch (cmd) {
      case '':
      case 'v':
        return { output: this.view(), quit: false };
      case 's': {
        const n = arg === undefined ? 1 : Number(arg);
        if (!Number.isSafeInteger(n) || n < 1) return { output: `s: expected a positive count, got '${arg}'\n`, quit: false };
        return { output: this.stepPrimary(n) + this.view(), quit: false };
      }
      case 'e':
        return { output: this.toEpochEnd() + this.view(), quit: false };
      case 'g': {
        const addr = this.address(arg);
        if (addr === undefined) return { output: `g: expected an address (0x...) or a symbol, got '${arg ?? ''}'\n`, quit: false };
        return { output: this.toAddress(addr) + this.view(), quit: false };
      }
      case 'c': {
        const { result: r, timedOut } = runPairTimed(this.pair, this.deadline);
        const why = timedOut
          ? this.timeoutLine()
          : r.stop === 'halt'
            ? `run ended: halted with exit code ${r.exitCode}\n`
            : `run ended: ${describeStop(r, this.pair, this.image)}\n`;
        return { output: why + this.view(), quit: false };
      }
      case 'f':
        return { output: this.failPrimary() + this.view(), quit: false };
      case 'q':
        return { output: '', quit: true };
      case 'h':
      case '?':
        return { output: HELP, quit: false };
      default:
        return { output: `unknown command '${cmd}' (h for help)\n`, quit: false };
    }
  }

  /** The address of `0x...`, a decimal number or a symbol; undefined when it is none of them. */
  address(arg: string | undefined): number | undefined {
    if (!arg) return undefined;
    if (/^(0x[0-9a-f]+|\d+)$/i.test(arg)) return Number(arg) >>> 0;
    return this.symbols.find((s) => s.name === arg)?.addr;
  }

  /** The backup executes every epoch whose end it has received. */
  private catchUpBackup(): string {
    const b = this.pair.backup;
    let epochs = 0;
    while (!b.done && b.role === 'backup' && b.runEpoch(this.limit) === 'epoch') epochs++;
    return epochs ? `backup ran ${epochs} epoch(s)\n` : '';
  }

  /** Fails the primary here; the backup catches up and takes over (Figure 7), and stepping goes on with it. */
  private failPrimary(): string {
    if (this.pair.primaryFailed) return 'the primary has already failed\n';
    const st = this.pair.primary.computer.cpu.state;
    const at = `the primary fail-stops at instret ${st.instret}, pc ${hex8(st.pc >>> 0)}\n`;
    this.pair.failPrimaryNow();
    const t = this.pair.takeover;
    if (!t) return at + 'the backup did not take over\n';
    return (
      at +
      `the backup took over in epoch ${t.epoch}: ${t.deletedCompletions} completion(s) deleted (312), ` +
      `DISCONNECTED for ${t.disconnected.length} device(s) (314); stepping goes on with the new primary\n`
    );
  }

  private stepPrimary(n: number): string {
    const p = this.pair.serving;
    const every = this.limits.checkEvery ?? 4096;
    let log = '';
    for (let i = 0; i < n && !p.done; i++) {
      const budget = this.budgetLine();
      if (budget) return log + budget;
      if (i > 0 && i % every === 0 && this.deadline.expired) return log + this.timeoutLine();
      const r = p.runEpoch(p.computer.cpu.state.instret + 1);
      if (r !== 'budget') log += `primary: ${r} (epoch ${p.state.epoch - (r === 'epoch' ? 1 : 0)})\n`;
      if (r === 'epoch' || r === 'blocked' || r === 'halted' || r === 'fault') log += this.catchUpBackup();
    }
    if (p.done) log += this.catchUpBackup();
    return log;
  }

  private toEpochEnd(): string {
    const p = this.pair.serving;
    let r = p.runEpoch(this.limit);
    while (r === 'blocked') {
      this.catchUpBackup();
      r = p.runEpoch(this.limit);
    }
    return (r === 'budget' ? this.budgetLine() : `primary: ${r}\n`) + this.catchUpBackup();
  }

  /** Single steps to `addr` (at most ten million), within the budget and the timeout. */
  private toAddress(addr: number): string {
    const p = this.pair.serving;
    const every = this.limits.checkEvery ?? 4096;
    let log = '';
    for (let i = 1; i <= 10_000_000 && !p.done; i++) {
      const budget = this.budgetLine();
      if (budget) return log + budget + `did not reach 0x${addr.toString(16)}\n`;
      if (i % every === 0 && this.deadline.expired) return log + this.timeoutLine() + `did not reach 0x${addr.toString(16)}\n`;
      log = this.stepPrimary(1);
      if (p.computer.cpu.state.pc >>> 0 === addr) return log + `reached 0x${addr.toString(16)}\n`;
    }
    return log + `did not reach 0x${addr.toString(16)}\n`;
  }

  /** Both replicas side by side. */
  view(): string {
    const P = this.pair.primary;
    const B = this.pair.backup;
    const left = this.column('PRIMARY', P);
    const right = this.column('BACKUP', B);
    const pr = P.computer.cpu.state.regs;
    const br = B.computer.cpu.state.regs;
    const lines: string[] = [];
    const width = 44;
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      lines.push((left[i] ?? '').padEnd(width) + ' | ' + (right[i] ?? ''));
    }
    lines.push('-'.repeat(width) + '-+-' + '-'.repeat(width));
    for (let row = 0; row < 8; row++) {
      const cells: string[] = [];
      for (let col = 0; col < 4; col++) {
        const i = row * 4 + col;
        const differ = pr[i] !== br[i];
        const text = `${ABI_NAMES[i]!.padStart(4)}=${hex8(pr[i]!)}/${hex8(br[i]!)}`;
        cells.push(differ ? this.mark(text) : ` ${text} `);
      }
      lines.push(cells.join(' '));
    }
    const chan = this.pair.channel.contents();
    lines.push(`channel: ${chan.length} message(s)${chan.length ? '' : ' (empty)'}`);
    for (const m of chan.slice(0, 8)) lines.push(`  ${describeMessage(m)}`);
    if (chan.length > 8) lines.push(`  ... ${chan.length - 8} more`);
    return lines.join('\n') + '\n';
  }

  private column(title: string, m: Monitor): string[] {
    const st = m.computer.cpu.state;
    const s = m.state;
    const pc = st.pc >>> 0;
    const off = pc - RAM_BASE;
    const word =
      off >= 0 && off + 4 <= st.ram.length
        ? (st.ram[off]! | (st.ram[off + 1]! << 8) | (st.ram[off + 2]! << 16) | (st.ram[off + 3]! << 24)) >>> 0
        : undefined;
    const sym = this.symbols.filter((x) => x.addr <= pc).sort((a, b) => b.addr - a.addr)[0];
    const where = sym ? ` <${sym.name}+0x${(pc - sym.addr).toString(16)}>` : '';
    const status = m.stopped
      ? 'failed (fail-stop)'
      : s.halted
        ? `halted (${s.halted.code})`
        : s.fault
          ? 'guest fault'
          : s.divergence
            ? 'diverged'
            : 'running';
    return [
      `${title} [${s.role}] ${status}`,
      `pc ${hex8(pc)}${where}`,
      `   ${word === undefined ? '<outside RAM>' : disassemble(word, pc).replace(/^(\S+)\t/, (_, m: string) => m.padEnd(8))}`,
      `epoch ${s.epoch}  rr ${st.rr}  instret ${st.instret}`,
      `buffered: ${s.interrupts.length} intr  V1 ${hex8(s.v1)} V2 ${hex8(s.v2)}`,
      `hw: V1 ${hex8(st.trap.v1)} V2 ${hex8(st.trap.v2)} mip ${hex8(st.csr.mip)}`,
    ];
  }

  private mark(text: string): string {
    return this.color ? `\x1b[1;31m ${text} \x1b[0m` : `*${text}*`;
  }
}

export const HELP = `commands:
  s [N]      step the primary N instructions (default 1); the backup runs each epoch the primary ends
  e          run the primary to the end of its epoch
  g ADDR     run the primary until pc = ADDR (hex, decimal or a symbol)
  f          fail the primary here: the backup catches up and takes over
  c          run both to the end
  v          show the view again
  q          quit
registers show primary/backup; a pair that differs is marked *like this* (red on a terminal)
`;
