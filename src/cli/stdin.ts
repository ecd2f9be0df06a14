/**
 * Standard input for the commands that take data from it: the program (`-` as PROGRAM), and the guest's
 * console input when `--input` is absent and stdin is not a terminal (`run`, `pair`). The console reads
 * stdin lazily, on the guest's first console READ, so that a guest that never reads never waits for stdin.
 */
import { ShadowError } from '../base/errors.js';
import { World, type WorldOptions } from '../hw/world.js';
import { assemble } from '../asm/assembler.js';
import { isElf } from '../asm/elf.js';
import { checkFitsRam, programFromBytes, type LoadOptions, loadProgram } from '../asm/load.js';
import type { ProgramImage } from '../../isa/image.js';
import type { CliIo } from './command.js';
import { STDIN_NAME, looksLikeText, stdinBytes } from './stdin-bytes.js';

export { STDIN_NAME, looksLikeText, stdinBytes } from './stdin-bytes.js';

/** A program from a PROGRAM argument: a file, or `-` for stdin (ELF, flat binary, or assembly source when it is text). */
export function loadProgramArg(arg: string, io: CliIo, opts: LoadOptions = {}): ProgramImage {
  if (arg !== '-') return loadProgram(arg, opts);
  const bytes = stdinBytes(io, 'the program');
  const image =
    !isElf(bytes) && looksLikeText(bytes)
      ? assemble(new TextDecoder().decode(bytes), { file: STDIN_NAME }).image
      : programFromBytes(STDIN_NAME, bytes);
  if (opts.ramBytes !== undefined) checkFitsRam(STDIN_NAME, image, opts.ramBytes, opts.ramBase);
  return image;
}

/** A world whose console input is read from `source` on the guest's first console read. */
export class LazyInputWorld extends World {
  private bytes: Uint8Array | undefined;

  constructor(
    opts: Omit<WorldOptions, 'input'>,
    private readonly source: () => Uint8Array,
  ) {
    super(opts);
  }

  private stream(): Uint8Array {
    return (this.bytes ??= this.source());
  }

  override consoleRead(offset: number, len: number): Uint8Array {
    const s = this.stream();
    return s.slice(Math.min(offset, s.length), Math.min(offset + len, s.length));
  }
}

/**
 * Where the guest's console input comes from: `--input FILE` (or `--input -` for stdin), else stdin when it
 * is not a terminal and does not already carry the program; else nothing.
 */
export function consoleInputSource(inputArg: string | undefined, programArg: string, io: CliIo): (() => Uint8Array) | undefined {
  if (inputArg === '-') {
    if (programArg === '-') throw new ShadowError('USAGE', "stdin cannot carry both the program ('-') and the console input (--input -)");
    return () => stdinBytes(io, 'the console input');
  }
  if (inputArg !== undefined || programArg === '-' || !io.readStdin || io.stdinIsTTY !== false) return undefined;
  return () => io.readStdin!();
}

/** A world for `run` and `pair`: console input from `source` if any (lazily), else from `opts.input`. */
export function worldWith(opts: WorldOptions, source: (() => Uint8Array) | undefined): World {
  if (!source) return new World(opts);
  const { input: _ignored, ...rest } = opts;
  return new LazyInputWorld(rest, source);
}
