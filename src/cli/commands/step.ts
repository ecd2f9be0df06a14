/** `shadowvm step`: steps the primary and the backup side by side, interactively or from a script. */
import type { Command } from '../command.js';
import { onePositional, stringOpt } from '../args.js';
import { PAIR_OPTIONS, pairOptionsFromArgs } from '../pair-options.js';
import { loadProgram } from '../../asm/load.js';
import { Stepper, HELP } from '../stepper.js';
import { ShadowError } from '../../base/errors.js';

const USAGE = 'shadowvm step PROGRAM [--epoch N] [--script "s 10; e; q"]';

export const stepCommand: Command = {
  name: 'step',
  summary: 'step the primary and the backup side by side',
  usage: USAGE,
  options: {
    ...PAIR_OPTIONS,
    script: { type: 'string', valueName: 'CMDS', description: 'commands separated by ";" instead of a terminal (e.g. "s 10; e; q")' },
  },
  async run(args, io) {
    const file = onePositional(args, 'program', USAGE);
    const image = loadProgram(file);
    const script = stringOpt(args, 'script');
    const stepper = new Stepper(image, pairOptionsFromArgs(args), io.isTTY && script === undefined);
    io.stdout(stepper.view());
    if (script !== undefined) {
      for (const line of script.split(';')) {
        io.stdout(`> ${line.trim()}\n`);
        const r = stepper.command(line);
        io.stdout(r.output);
        if (r.quit) return 0;
      }
      return 0;
    }
    if (!io.readLine) throw new ShadowError('USAGE', `step: no terminal to read commands from; use --script\nUsage: ${USAGE}`);
    io.stdout(HELP);
    for (;;) {
      const line = await io.readLine('step> ');
      if (line === undefined) return 0;
      const r = stepper.command(line);
      io.stdout(r.output);
      if (r.quit) return 0;
    }
  },
};
