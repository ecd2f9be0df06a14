/**
 * `shadowvm step`: steps the primary and the backup side by side, from a terminal, from piped stdin (one
 * command a line, each echoed as `> CMD` as --script does) or from `--script`. Each command runs within the
 * pair's instruction budget and, with `--timeout SEC`, within SEC seconds; then the session goes on.
 */
import type { Command } from '../command.js';
import { onePositional, stringOpt } from '../args.js';
import { PAIR_OPTIONS, pairOptionsFromArgs } from '../pair-options.js';
import { Stepper, HELP } from '../stepper.js';
import { ShadowError } from '../../base/errors.js';
import { EXIT } from '../exit-codes.js';
import { timeoutOpt } from '../deadline.js';
import { loadProgramArg } from '../stdin.js';

const USAGE = 'shadowvm step PROGRAM [--epoch N] [--max-instructions N] [--timeout SEC] [--script "s 10; e; q"]';

export const stepCommand: Command = {
  name: 'step',
  summary: 'step the primary and the backup side by side',
  usage: USAGE,
  options: {
    ...PAIR_OPTIONS,
    script: { type: 'string', valueName: 'CMDS', description: 'commands separated by ";" instead of stdin (e.g. "s 10; e; q")' },
  },
  async run(args, io) {
    const file = onePositional(args, 'program', USAGE);
    const script = stringOpt(args, 'script');
    if (script === undefined && file === '-')
      throw new ShadowError('USAGE', 'step reads its commands from stdin: give the program as a file, or the commands with --script');
    if (script === undefined && stringOpt(args, 'input') === '-')
      throw new ShadowError('USAGE', 'step reads its commands from stdin: --input - needs --script');
    const timeoutSec = timeoutOpt(args);
    const image = loadProgramArg(file, io);
    const stepper = new Stepper(image, pairOptionsFromArgs(args), io.color === true, { timeoutSec });
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
  },
};
