/**
 * The command-line parser of every command, in getopt's conventions: `--name VALUE`, `--name=VALUE`,
 * `-o VALUE`, `-oVALUE`, grouped short flags, `--` ending the options and a lone `-` as a positional (stdin).
 * An option that takes a value takes the next word whatever it is, so `--epoch -5` reaches the option's own
 * check ("expected an integer from 1 to ..., got '-5'"). Every mistake is a USAGE error in the user's words,
 * with a "did you mean" for a mistyped option; the caller adds the usage line.
 */
import { ShadowError } from '../base/errors.js';
import type { OptionSpec, ParsedArgs } from './command.js';
import { didYouMean } from './suggest.js';

const usageError = (message: string): ShadowError => new ShadowError('USAGE', message);

function optionLabel(name: string, o: OptionSpec): string {
  return `--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
}

export function parseCommandLine(argv: readonly string[], options: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const positionals: string[] = [];
  const values: Record<string, string | boolean | string[] | undefined> = {};
  const byShort = new Map(
    Object.entries(options)
      .filter(([, o]) => o.short)
      .map(([n, o]) => [o.short!, n]),
  );
  const set = (name: string, value: string | boolean): void => {
    if (options[name]!.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), String(value)];
    else values[name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const o = options[name];
      if (!o) throw usageError(`unknown option '--${name}'${didYouMean(name, Object.keys(options), (k) => `--${k}`)}`);
      if (o.type === 'boolean') {
        if (eq >= 0) throw usageError(`option --${name} takes no value (got '${word}')`);
        set(name, true);
      } else if (eq >= 0) {
        set(name, word.slice(eq + 1));
      } else {
        if (i + 1 >= argv.length) throw usageError(`option --${name} needs a value: ${optionLabel(name, o)}`);
        set(name, argv[++i]!);
      }
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const letter = word[j]!;
        const name = byShort.get(letter);
        if (name === undefined) {
          if (j > 1) throw usageError(`unknown option '-${letter}' in '${word}'`);
          throw usageError(`unknown option '${word}'${didYouMean(word.slice(1), Object.keys(options), (k) => `--${k}`)}`);
        }
        const o = options[name]!;
        if (o.type === 'boolean') {
          set(name, true);
          continue;
        }
        if (j + 1 < word.length) set(name, word.slice(j + 1));
        else if (i + 1 < argv.length) set(name, argv[++i]!);
        else throw usageError(`option -${letter} needs a value: -${letter} ${o.valueName ?? 'VALUE'}`);
        break;
      }
      continue;
    }
    positionals.push(word);
  }
  return { positionals, values };
}
