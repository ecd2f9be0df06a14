/** The `shadowvm` entry point: picks a command from the table, parses its options, maps errors to exit codes. */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import type { CliIo, Command, ParsedArgs } from './command.js';
import { COMMANDS } from './registry.js';
import { ShadowError } from '../base/errors.js';
import { EXIT, EXIT_FOR_ERROR } from './exit-codes.js';

export function helpText(): string {
  const lines = ['Usage: shadowvm COMMAND [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(8)} ${c.summary}`);
  lines.push('', 'Run `shadowvm COMMAND --help` for the options of one command.');
  return lines.join('\n') + '\n';
}

export function commandHelp(c: Command): string {
  const lines = [`Usage: ${c.usage}`, '', c.summary, ''];
  const opts = Object.entries(c.options);
  if (opts.length) lines.push('Options:');
  for (const [name, o] of opts) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(26)} ${o.description}`);
  }
  return lines.join('\n') + '\n';
}

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY) && !process.env.CI,
    stderrIsTTY: Boolean(process.stderr.isTTY) && !process.env.CI,
    readLine: process.stdin.isTTY
      ? (prompt) =>
          new Promise((resolve) => {
            const rl = createInterface({ input: process.stdin, output: process.stdout });
            rl.question(prompt, (answer) => {
              rl.close();
              resolve(answer);
            });
            rl.on('close', () => resolve(undefined));
          })
      : undefined,
  };
}

/** Runs one command line and returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`shadowvm: unknown command '${name}'\n\n${helpText()}`);
    return EXIT.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(command));
    return EXIT.OK;
  }
  try {
    let parsed;
    try {
      const options = Object.fromEntries(
        Object.entries(command.options).map(([k, o]) => [k, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
      );
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new ShadowError('USAGE', `shadowvm ${name}: ${(err as Error).message}\nUsage: ${command.usage}`);
    }
    return await command.run({ positionals: parsed.positionals, values: parsed.values as ParsedArgs["values"] }, io);
  } catch (err) {
    if (err instanceof ShadowError) {
      io.stderr(err.message.endsWith('\n') ? err.message : err.message + '\n');
      return EXIT_FOR_ERROR[err.code];
    }
    io.stderr(`shadowvm ${name}: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    return EXIT.INTERNAL;
  }
}
