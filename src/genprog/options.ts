/** The random-program generator's options, with their defaults. */

export interface GenOptions {
  /** Top-level blocks of random code (a block is a few instructions, a branch or a loop). Default 40. */
  readonly length?: number;
  /** Connect the console and WRITE a few bytes through the runtime. Default false. */
  readonly io?: boolean;
  /** Xshadow addv/subv/mulv/divv with operands that overflow or divide by zero. Default true. */
  readonly traps?: boolean;
  /** `drain` inside the random code (the ending always drains when `traps` is on). Default true. */
  readonly drains?: boolean;
  /** A periodic timer interrupt (a seeded period of 1..8 µs), taken and cleared by the handler; and `wfi` in the code. Default false. */
  readonly timer?: boolean;
  /** Precise exceptions the handler resumes after: ecall, ebreak, misaligned loads and stores. Default true. */
  readonly exceptions?: boolean;
  /** Segments of code in U mode (entered with mret, left with ecall). Default true. */
  readonly user?: boolean;
}

const MAX_LENGTH = 4000;

/** Resolved options: defaults filled in, length checked. */
export function genOptions(opts: GenOptions = {}): Required<GenOptions> {
  const length = opts.length ?? 40;
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_LENGTH) {
    throw new RangeError(`generateProgram: length must be an integer from 0 to ${MAX_LENGTH}, got ${length}`);
  }
  return {
    length,
    io: opts.io ?? false,
    traps: opts.traps ?? true,
    drains: opts.drains ?? true,
    timer: opts.timer ?? false,
    exceptions: opts.exceptions ?? true,
    user: opts.user ?? true,
  };
}
