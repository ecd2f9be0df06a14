/**
 * `shadowvm run PROGRAM`: one computer running a guest with no monitor (bare mode). Console output goes to
 * stdout as the guest produces it; the exit code is the guest's halt code (or 0 with `--exit-code-from status`).
 * A guest fault, a deadlock, an exhausted budget or `--timeout` exits with its own status (exit-codes.ts) and a
 * one-line reason. The console reads stdin when `--input` is absent and stdin is not a terminal.
 */
import { DEFAULTS } from '../../base/defaults.js';
import { hex32 } from '../../base/format.js';
import type { Command } from '../command.js';
import { exitCodeFrom, flag, intOpt, onePositional, readOptionalFile, stringOpt } from '../args.js';
import { EXIT_CODE_FROM_OPTION, exitForHalt, exitForStop } from '../exit-codes.js';
import { Computer, DEFAULT_TRAP_DELAY_MAX } from '../../hw/computer.js';
import type { BareResult } from '../../hw/bare.js';
import { ShadowError } from '../../base/errors.js';
import { describeBudget, describeFault, describeTimeout } from '../report.js';
import type { ProgramImage } from '../../../isa/image.js';
import { DEFAULT_RAM_MIB } from '../../../isa/csrs.js';
import { Deadline, TIMEOUT_OPTION, timeoutOpt } from '../deadline.js';
import { runBareTimed } from '../timed-run.js';
import type { ExitBudget } from '../../hw/engine.js';
import { exitBudgetFor } from '../../base/exit-budget.js';
import { exitsSpent } from '../exit-budget.js';
import { consoleInputSource, loadProgramArg, worldWith } from '../stdin.js';
import { SUMMARY_OPTION, printSummary } from '../summary.js';
import { GDB_OPTION, debugWithGdb, gateConsole, gdbPortOpt } from '../gdb-run.js';
import { BareDebugMachine } from '../../debug/gdb-bare.js';
import { TRACE_OPTION, saveTrace, traceOpt } from '../trace-option.js';
import { traceComputer } from '../../debug/trace-bare.js';

const USAGE =
  'shadowvm run PROGRAM [--json] [--max-instructions N] [--timeout SEC] [--seed S] [--disk FILE] [--input FILE] [--ram MiB] [--gdb PORT]';

/** The one-line reason for a run that did not halt; `exits`: the run's exit budget, if it had one. */
export function describeBareStop(r: BareResult, pc: number, image?: ProgramImage, exits?: ExitBudget): string {
  if (r.fault) return describeFault(r.fault);
  if (r.deadlock)
    return `deadlock: the guest waits (wfi) for an interrupt that nothing can raise, after ${r.instructions} instructions at pc ${hex32(pc)}`;
  return describeBudget(r.instructions, pc, image, exitsSpent(exits) ? exits!.limit : undefined);
}

export const runCommand: Command = {
  name: 'run',
  usage: USAGE,
  options: {
    'exit-code-from': EXIT_CODE_FROM_OPTION,
    json: {
      type: 'boolean',
      description: 'print one JSON object (exit code, instructions, pc, registers, console, stop) instead of the console output',
    },
    'max-instructions': { type: 'string', valueName: 'N', description: `instruction budget (default ${DEFAULTS.maxInstructions})` },
    timeout: TIMEOUT_OPTION,
    summary: SUMMARY_OPTION,
    trace: TRACE_OPTION,
    seed: { type: 'string', valueName: 'S', description: 'seed of the computer: trap delays, device latencies, clock jitter (default 1)' },
    disk: { type: 'string', valueName: 'FILE', description: 'disk image (read; the run works on a copy in memory)' },
    input: {
      type: 'string',
      valueName: 'FILE',
      description: 'console input stream, - for stdin (default: stdin when it is not a terminal)',
    },
    ram: { type: 'string', valueName: 'MiB', description: `RAM in MiB (default ${DEFAULT_RAM_MIB})` },
    'trap-delay': {
      type: 'string',
      valueName: 'D',
      description: `largest delay of the hardware's deferred traps (default ${DEFAULT_TRAP_DELAY_MAX})`,
    },
    gdb: GDB_OPTION,
  },
  async run(args, io) {
    const deadline = new Deadline(timeoutOpt(args));
    const file = onePositional(args, 'program', USAGE);
    const json = flag(args, 'json');
    const from = exitCodeFrom(args);
    const maxInstructions = intOpt(args, 'max-instructions', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULTS.maxInstructions;
    const seed = intOpt(args, 'seed', 0, 0xffffffff) ?? 1;
    const ramMiB = intOpt(args, 'ram', 1, 1024) ?? DEFAULT_RAM_MIB;
    const trapDelayMax = intOpt(args, 'trap-delay', 0, 1 << 20);
    const inputArg = stringOpt(args, 'input');
    const source = consoleInputSource(inputArg, file, io);
    const input = source ? undefined : readOptionalFile(inputArg, 'input file');
    const disk = readOptionalFile(stringOpt(args, 'disk'), 'disk image');
    const image = loadProgramArg(file, io, { ramBytes: ramMiB * 1024 * 1024 });
    const decoder = new TextDecoder();
    const world = worldWith(
      { input, disk, onConsole: json ? undefined : (bytes) => io.stdout(decoder.decode(bytes, { stream: true })) },
      source,
    );
    const computer = new Computer({ seed, ramMiB, trapDelayMax, world, name: 'computer' });
    computer.load(image);
    const gdbPort = gdbPortOpt(args);
    if (gdbPort !== undefined) {
      if (json) throw new ShadowError('USAGE', '--gdb and --json cannot be used together');
      const gate = gateConsole(world);
      const machine = new BareDebugMachine(computer, world, maxInstructions);
      return debugWithGdb('run', machine, gate, gdbPort, io, { pair: false, exitCodeFrom: from, program: file });
    }
    const tracePath = traceOpt(args);
    const trace = tracePath === undefined ? undefined : traceComputer(computer);
    const exits: ExitBudget = { limit: exitBudgetFor(maxInstructions), used: 0 };
    const { result: r, timedOut } = runBareTimed(computer, maxInstructions, deadline, undefined, exits);
    if (trace) saveTrace(io, 'run', tracePath!, file, trace.finish());
    const s = computer.cpu.state;
    const stop = timedOut ? 'timeout' : r.stop === 'halt' ? 'halt' : r.fault ? 'fault' : r.deadlock ? 'deadlock' : 'budget';
    if (json) {
      const out = {
        exitCode: r.exitCode,
        instructions: r.instructions,
        pc: s.pc >>> 0,
        regs: Array.from(s.regs),
        console: world.consoleText(),
        stop: timedOut ? 'timeout' : r.stop,
      };
      io.stdout(JSON.stringify(out) + '\n');
    } else {
      const rest = decoder.decode();
      if (rest) io.stdout(rest);
    }
    const outcome = stop === 'halt' ? `halted with exit code ${r.exitCode}` : stop === 'fault' ? 'guest fault' : stop;
    if (stop !== 'halt') {
      io.stderr(
        (timedOut ? describeTimeout(deadline.seconds!, r.instructions, s.pc, image) : describeBareStop(r, s.pc, image, exits)) + '\n',
      );
    }
    printSummary(io, flag(args, 'summary'), 'run', [outcome, `${r.instructions} instructions`], deadline.elapsed());
    computer.dispose(); // its RAM goes back to the pool for the next run in this process
    return stop === 'halt' ? exitForHalt(r.exitCode, from) : exitForStop(stop);
  },
};
