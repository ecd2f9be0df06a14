/** The help texts: `shadowvm --help`, `shadowvm help CMD` (= `shadowvm CMD --help`), `shadowvm help exit-codes`, `--version`. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, OptionSpec } from './command.js';
import { COMMANDS, commandEntry } from './registry.js';
import { EXIT_TABLE } from './exit-codes.js';
import { packageRoot } from '../base/paths.js';

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  quiet: { type: 'boolean', short: 'q', description: 'print results and errors only: no notes, progress bars or summaries' },
};

/** A command's options with the common ones. */
export function optionsOf(c: Command): Readonly<Record<string, OptionSpec>> {
  return { ...c.options, ...COMMON_OPTIONS };
}

export function helpText(): string {
  const lines = ['Usage: shadowvm COMMAND [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(8)} ${c.summary}`);
  lines.push(
    '',
    'Run `shadowvm help COMMAND` (or `shadowvm COMMAND --help`) for the options of one command,',
    '`shadowvm help exit-codes` for the exit statuses, `shadowvm --version` for the version.',
    'A PROGRAM or input file given as - is read from stdin; colour (only the stepper uses it) is off',
    'when stdout is not a terminal or NO_COLOR is set.',
  );
  return lines.join('\n') + '\n';
}

export function commandHelp(c: Command): string {
  const lines = [`Usage: ${c.usage}`, '', commandEntry(c.name)?.summary ?? '', ''];
  const opts = Object.entries(optionsOf(c));
  if (opts.length) lines.push('Options:');
  for (const [name, o] of opts) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(26)} ${o.description}`);
  }
  return lines.join('\n') + '\n';
}

export function exitCodesHelp(): string {
  const lines = ['Exit statuses of shadowvm:', ''];
  for (const [code, meaning] of EXIT_TABLE) lines.push(`  ${code.padEnd(6)} ${meaning}`);
  return lines.join('\n') + '\n';
}

/** The topics of `shadowvm help TOPIC`. */
export const HELP_TOPICS: readonly string[] = [...COMMANDS.map((c) => c.name), 'exit-codes'];

let cachedVersion: string | undefined;

/** The package's version, from its package.json. */
export function version(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}
