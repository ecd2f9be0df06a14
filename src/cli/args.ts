/**
 * Helpers for reading typed option values; every bad value becomes a USAGE error naming the option, and a
 * file an option names that cannot be read a FILE error.
 */
import { readFileSync } from 'node:fs';
import { ShadowError } from '../base/errors.js';
import type { ParsedArgs } from './command.js';

export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** An integer option in [min, max]; accepts decimal and 0x hex. */
export function intOpt(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = stringOpt(args, name);
  if (v === undefined) return undefined;
  const n = /^-?(0x[0-9a-f]+|\d+)$/i.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ShadowError('USAGE', `--${name}: expected an integer from ${min} to ${max}, got '${v}'`);
  }
  return n;
}

/** Exactly one positional argument, named in the message when missing. */
export function onePositional(args: ParsedArgs, what: string, usage: string): string {
  if (args.positionals.length !== 1) {
    throw new ShadowError('USAGE', `expected one ${what}, got ${args.positionals.length}\nUsage: ${usage}`);
  }
  return args.positionals[0]!;
}

/** `--exit-code-from guest|status` (default guest). */
export function exitCodeFrom(args: ParsedArgs): 'guest' | 'status' {
  const v = stringOpt(args, 'exit-code-from') ?? 'guest';
  if (v !== 'guest' && v !== 'status') throw new ShadowError('USAGE', `--exit-code-from: expected guest or status, got '${v}'`);
  return v;
}

/** The bytes of the file at `path` (an option's value, `what` in the message: `input file`, `disk image`); undefined without one. */
export function readOptionalFile(path: string | undefined, what: string): Uint8Array | undefined {
  if (path === undefined) return undefined;
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new ShadowError('FILE', `cannot read ${what} '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
