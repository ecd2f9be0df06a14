/** The `shadowvm` entry point: picks a command from the table, parses its options, maps errors to exit codes. */
import type { CliIo, Command } from './command.js';
import { COMMANDS, commandEntry } from './registry.js';
import { ShadowError } from '../base/errors.js';
import { EXIT, EXIT_FOR_ERROR } from './exit-codes.js';
import { parseCommandLine } from './parse.js';
import { didYouMean } from './suggest.js';
import { HELP_TOPICS, commandHelp, exitCodesHelp, helpText, optionsOf, version } from './help.js';
import { processIo } from './process-io.js';
import { flag } from './args.js';

export { commandHelp, helpText } from './help.js';
export { processIo } from './process-io.js';

const TOP_OPTIONS = ['help', 'version'];

/** A USAGE error in the GNU style: `shadowvm CMD: what was wrong`, then the usage line. */
function usageMessage(c: Command, message: string, hint: boolean): string {
  const head = message.startsWith('shadowvm') ? message : `shadowvm ${c.name}: ${message}`;
  const usage = head.includes('\nUsage: ') ? '' : `\nUsage: ${c.usage}`;
  return `${head.replace(/\n$/, '')}${usage}${hint ? `\nRun 'shadowvm help ${c.name}' for all its options.` : ''}`;
}

async function help(topic: string | undefined, io: CliIo): Promise<number> {
  if (topic === undefined) {
    io.stdout(helpText());
    return EXIT.OK;
  }
  if (topic === 'exit-codes') {
    io.stdout(exitCodesHelp());
    return EXIT.OK;
  }
  const entry = commandEntry(topic);
  if (entry) {
    io.stdout(commandHelp(await entry.load()));
    return EXIT.OK;
  }
  io.stderr(`shadowvm help: unknown topic '${topic}'${didYouMean(topic, HELP_TOPICS)}\nTopics: ${HELP_TOPICS.join(', ')}\n`);
  return EXIT.USAGE;
}

/** Runs one command line and returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } finally {
    io.close?.();
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(helpText());
    return EXIT.USAGE;
  }
  if (name === '--help' || name === '-h') return help(undefined, io);
  if (name === 'help') {
    if (rest.length > 1) {
      io.stderr(`shadowvm help: expected at most one topic, got ${rest.length}\nUsage: shadowvm help [COMMAND | exit-codes]\n`);
      return EXIT.USAGE;
    }
    return help(rest[0] === '--help' || rest[0] === '-h' ? undefined : rest[0], io);
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`shadowvm ${version()}\n`);
    return EXIT.OK;
  }
  const entry = commandEntry(name);
  if (!entry) {
    const what = name.startsWith('--')
      ? `unknown option '${name}'${didYouMean(name.slice(2), TOP_OPTIONS, (k) => `--${k}`)}`
      : `unknown command '${name}'${didYouMean(
          name,
          COMMANDS.map((c) => c.name),
        )}`;
    io.stderr(`shadowvm: ${what}\nUsage: shadowvm COMMAND [options]\nRun 'shadowvm help' for the list of commands.\n`);
    return EXIT.USAGE;
  }
  const command = await entry.load();
  const dashdash = rest.indexOf('--');
  const options = dashdash < 0 ? rest : rest.slice(0, dashdash);
  if (options.includes('--help') || options.includes('-h')) {
    io.stdout(commandHelp(command));
    return EXIT.OK;
  }
  try {
    let parsed;
    try {
      parsed = parseCommandLine(rest, optionsOf(command));
    } catch (err) {
      if (err instanceof ShadowError) throw new ShadowError('USAGE', usageMessage(command, err.message, true));
      throw err;
    }
    const quiet = flag(parsed, 'quiet');
    return await command.run(parsed, quiet ? { ...io, quiet: true, stderrIsTTY: false } : io);
  } catch (err) {
    if (err instanceof ShadowError) {
      const message = err.code === 'USAGE' ? usageMessage(command, err.message, false) : err.message;
      io.stderr(message.endsWith('\n') ? message : message + '\n');
      return EXIT_FOR_ERROR[err.code];
    }
    io.stderr(`shadowvm ${name}: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    return EXIT.INTERNAL;
  }
}
