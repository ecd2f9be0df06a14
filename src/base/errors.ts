/**
 * Host-level errors: bad input from a user (a file, an argument, a malformed ELF). Each has a stable
 * code and a message meant for people; the CLI prints the message and exits with the code's status.
 * Guest faults are never errors: they are data returned by the processor.
 */

export type ErrorCode =
  | 'ASM' // assembly source error (exit 1)
  | 'USAGE' // bad command-line arguments (exit 2)
  | 'FILE' // a missing or unreadable file (exit 2)
  | 'ELF' // a malformed ELF or binary image (exit 2)
  | 'CONFIG'; // an invalid option value given through the API (exit 2)

export class ShadowError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ShadowError';
  }
}

export const EXIT_FOR_CODE: Record<ErrorCode, number> = { ASM: 1, USAGE: 2, FILE: 2, ELF: 2, CONFIG: 2 };
