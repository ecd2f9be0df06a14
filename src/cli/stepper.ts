/**
 * Side-by-side stepping of a pair or a replica group: the engine behind `shadowvm step`. It advances the
 * primary by instructions, to the next epoch end or to an address, lets every backup execute each epoch it has
 * been told of, and renders the replicas next to each other, a column each (step-view.ts: pc and disassembly,
 * registers with differences marked, epoch and recovery register, buffered interrupts and traps, channels).
 */
import type { Pair, PairOptions } from '../ft/pair.js';
import type { GroupOptions } from '../ft/group.js';
import type { ProgramImage } from '../../isa/image.js';
import { DEFAULTS } from '../base/defaults.js';
import { Deadline } from './deadline.js';
import { exitsSpent } from './exit-budget.js';
import { describeBudget, describeTimeout } from './report.js';
import { GroupTarget, PairTarget, type StepTarget } from './step-target.js';
import { groupView, pairView } from './step-view.js';

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

/** A group's options: `step --backups K` steps a group of K backups instead of a pair. */
export interface StepGroupOptions extends GroupOptions {
  readonly backups: number;
}

export class Stepper {
  readonly target: StepTarget;
  private readonly symbols: ProgramImage['symbols'];
  private readonly limit: number;
  private deadline: Deadline;

  constructor(
    private readonly image: ProgramImage,
    opts: PairOptions | StepGroupOptions,
    private readonly color: boolean,
    private readonly limits: StepperLimits = {},
  ) {
    this.target = 'backups' in opts ? new GroupTarget(image, opts) : new PairTarget(image, opts);
    this.symbols = image.symbols;
    this.limit = opts.maxInstructions ?? DEFAULTS.maxInstructions;
    this.deadline = this.newDeadline();
  }

  /** The pair stepped (a group's stepper has none). */
  get pair(): Pair {
    if (!(this.target instanceof PairTarget)) throw new Error('stepper: this stepper steps a group, not a pair');
    return this.target.pair;
  }

  private newDeadline(): Deadline {
    return new Deadline(this.limits.timeoutSec, this.limits.now);
  }

  /** The budget line, when the serving computer has used its instruction budget. */
  private budgetLine(): string {
    const st = this.target.serving.computer.cpu.state;
    const exits = this.target.serving.exitBudget;
    if (exitsSpent(exits)) return describeBudget(st.instret, st.pc >>> 0, this.image, exits!.limit) + '\n';
    return st.instret >= this.limit ? describeBudget(st.instret, st.pc >>> 0, this.image) + '\n' : '';
  }

  private timeoutLine(): string {
    const st = this.target.serving.computer.cpu.state;
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
        const { result: r, timedOut, stop } = this.target.runToEnd(this.deadline, this.image);
        const why = timedOut
          ? this.timeoutLine()
          : r.stop === 'halt'
            ? `run ended: halted with exit code ${r.exitCode}\n`
            : `run ended: ${stop}\n`;
        return { output: why + this.view(), quit: false };
      }
      case 'f':
        return { output: this.target.fail(arg) + this.view(), quit: false };
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

  /** Every backup executes every epoch whose end it has received. */
  private catchUpBackup(): string {
    return this.target.catchUp(this.limit);
  }

  private stepPrimary(n: number): string {
    const p = this.target.serving;
    const every = this.limits.checkEvery ?? 4096;
    let log = '';
    for (let i = 0; i < n && !p.done; i++) {
      const budget = this.budgetLine();
      if (budget) return log + budget;
      if (i > 0 && i % every === 0 && this.deadline.expired) return log + this.timeoutLine();
      const r = p.runEpoch(p.computer.cpu.state.instret + 1);
      if (r === 'epoch') this.target.epochEnded();
      if (r !== 'budget') log += `primary: ${r} (epoch ${p.state.epoch - (r === 'epoch' ? 1 : 0)})\n`;
      if (r === 'epoch' || r === 'blocked' || r === 'halted' || r === 'fault') log += this.catchUpBackup();
    }
    if (p.done) log += this.catchUpBackup();
    return log;
  }

  private toEpochEnd(): string {
    const p = this.target.serving;
    let r = p.runEpoch(this.limit);
    while (r === 'blocked') {
      this.catchUpBackup();
      r = p.runEpoch(this.limit);
    }
    if (r === 'epoch') this.target.epochEnded();
    return (r === 'budget' ? this.budgetLine() : `primary: ${r}\n`) + this.catchUpBackup();
  }

  /** Single steps to `addr` (at most ten million), within the budget and the timeout. */
  private toAddress(addr: number): string {
    const p = this.target.serving;
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

  /** Every replica side by side, a column each. */
  view(): string {
    const cols = this.target.columns();
    const mark = (text: string): string => (this.color ? `\x1b[1;31m ${text} \x1b[0m` : `*${text}*`);
    return this.target.kind === 'pair' ? pairView(cols, this.symbols, mark) : groupView(cols, this.symbols, mark, this.target.notes());
  }
}

export const HELP = `commands:
  s [N]      step the primary N instructions (default 1); the backup runs each epoch the primary ends
  e          run the primary to the end of its epoch
  g ADDR     run the primary until pc = ADDR (hex, decimal or a symbol)
  f [RANK]   fail a replica here (default 0, the primary: the backups catch up and the lowest rank takes
             over); with --backups K any rank, or 'joining' for the replica a rebackup is bringing in
  c          run both to the end
  v          show the view again
  q          quit
registers show primary/backup (a group: each replica's own); a value that differs is marked *like this*
(red on a terminal)
`;
