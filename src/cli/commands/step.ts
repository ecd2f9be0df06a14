/**
 * `shadowvm step`: steps the primary and the backup side by side (with `--backups K`, every replica of a
 * group, a column each), from a terminal, from piped stdin (one
 * command a line, each echoed as `> CMD` as --script does) or from `--script`. Each command runs within the
 * pair's instruction budget and, with `--timeout SEC`, within SEC seconds; then the session goes on.
 */
import type { Command } from '../command.js';
import { flag, intOpt, onePositional, stringOpt } from '../args.js';
import { PAIR_OPTIONS, pairOptionsFromArgs } from '../pair-options.js';
import { Stepper, HELP, type StepGroupOptions } from '../stepper.js';
import { ShadowError } from '../../base/errors.js';
import { EXIT } from '../exit-codes.js';
import { timeoutOpt } from '../deadline.js';
import { loadProgramArg, STDIN_NAME } from '../stdin.js';
import { DEFAULTS } from '../../base/defaults.js';
import { StepperModel } from '../web/state.js';
import { startStepServer } from '../web/server.js';
import { GROUP_OPTIONS, groupOptionsFromArgs } from '../group-run.js';
import type { ParsedArgs } from '../command.js';

/** A group's options for step: no failure list (step fails replicas with `f RANK`). */
function stepGroupOptions(args: ParsedArgs): StepGroupOptions {
  const opts = groupOptionsFromArgs(args, (a) => pairOptionsFromArgs(a));
  return { ...opts, backups: opts.backups ?? 1, failures: [] };
}

const USAGE =
  'shadowvm step PROGRAM [--backups K [--rebackup-after N]] [--epoch N] [--max-instructions N] [--timeout SEC] [--script "s 10; e; q" | --web [--port P]]';

export const stepCommand: Command = {
  name: 'step',
  usage: USAGE,
  options: {
    ...PAIR_OPTIONS,
    ...GROUP_OPTIONS,
    script: { type: 'string', valueName: 'CMDS', description: 'commands separated by ";" instead of stdin (e.g. "s 10; e; q")' },
    web: { type: 'boolean', description: 'serve the stepper as a page on 127.0.0.1 instead (open the printed address in a browser)' },
    port: { type: 'string', valueName: 'P', description: `port of --web (default ${DEFAULTS.stepWebPort}; 0 picks a free one)` },
  },
  async run(args, io) {
    const file = onePositional(args, 'program', USAGE);
    const script = stringOpt(args, 'script');
    const web = flag(args, 'web');
    if (script === undefined && !web && file === '-')
      throw new ShadowError('USAGE', 'step reads its commands from stdin: give the program as a file, or the commands with --script');
    if (script === undefined && !web && stringOpt(args, 'input') === '-')
      throw new ShadowError('USAGE', 'step reads its commands from stdin: --input - needs --script');
    const port = intOpt(args, 'port', 0, 65535);
    if (port !== undefined && !web) throw new ShadowError('USAGE', '--port needs --web');
    if (web && script !== undefined) throw new ShadowError('USAGE', 'choose one of --web and --script');
    const timeoutSec = timeoutOpt(args);
    const image = loadProgramArg(file, io);
    if (stringOpt(args, 'rebackup-after') !== undefined && stringOpt(args, 'backups') === undefined)
      throw new ShadowError('USAGE', '--rebackup-after needs --backups K');
    const opts = stringOpt(args, 'backups') === undefined ? pairOptionsFromArgs(args) : stepGroupOptions(args);
    const stepper = new Stepper(image, opts, io.color === true, { timeoutSec });
    try {
      if (web) {
        const model = new StepperModel(stepper, image, file === '-' ? STDIN_NAME : file);
        const server = await startStepServer(model, port ?? DEFAULTS.stepWebPort);
        io.stdout(`shadowvm step: serving ${server.url} (the page's own commands; Ctrl-C to stop)\n`);
        await server.closed;
        return EXIT.OK;
      }
      io.stdout(stepper.view());
      if (script !== undefined) {
        for (const line of script.split(';')) {
          io.stdout(`> ${line.trim()}\n`);
          const r = stepper.command(line);
          io.stdout(r.output);
          if (r.quit) return EXIT.OK;
        }
        return EXIT.OK;
      }
      if (!io.readLine) throw new ShadowError('USAGE', `step: no input to read commands from; use --script`);
      const terminal = io.stdinIsTTY === true;
      if (terminal && !io.quiet) io.stdout(HELP);
      for (;;) {
        const line = await io.readLine('step> ');
        if (line === undefined) {
          if (terminal) io.stdout('\n');
          return EXIT.OK;
        }
        if (!terminal) io.stdout(`> ${line.trim()}\n`);
        const r = stepper.command(line);
        io.stdout(r.output);
        if (r.quit) return EXIT.OK;
      }
    } finally {
      stepper.target.dispose(); // its RAM goes back to the pool for the next run in this process
    }
  },
};
