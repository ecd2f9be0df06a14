/**
 * Commands as data: every `shadowvm` subcommand is one object of this shape. `--help` text, argument
 * parsing and the CLI reference in the README all come from these objects.
 */

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly description: string;
  /** Shown in help as `--name VALUE`. */
  readonly valueName?: string;
  readonly multiple?: boolean;
}

/** Where a command writes. Tests pass buffers; the binary passes the process streams. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is an interactive terminal (progress bars, colours). */
  readonly isTTY: boolean;
  /** True when stderr is an interactive terminal: progress bars are drawn there. */
  readonly stderrIsTTY?: boolean;
  /** The next line of stdin for interactive commands (prompted on a terminal); undefined at its end. */
  readLine?(prompt: string): Promise<string | undefined>;
  /** True when stdin is a terminal (step prompts; `-` and the console never read it). */
  readonly stdinIsTTY?: boolean;
  /** All of stdin, read once: `-` as PROGRAM, and the guest's console input when `--input` is absent. */
  readStdin?(): Uint8Array;
  /** Raw bytes to stdout (`asm -o -`). */
  stdoutBytes?(bytes: Uint8Array): void;
  /** Colour allowed on stdout: a terminal, and NO_COLOR unset or empty. */
  readonly color?: boolean;
  /** `--quiet`: no notes, progress or summaries; results and errors only. */
  readonly quiet?: boolean;
  /** Lets go of stdin when the command is done (so the process can exit). */
  close?(): void;
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | string[] | undefined>;
}

export interface Command {
  readonly name: string;
  /** Its one-line summary lives in registry.ts, so that `shadowvm --help` loads no command. */
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Returns the process exit code. Throws ShadowError for bad input; never lets a guest fault escape as an exception. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
