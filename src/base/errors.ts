/**
 * Host-level errors: bad input from a user (a file, an argument, a malformed ELF). Each has a stable
 * code and a message meant for people; the CLI prints the message and exits with the code's status (src/cli/exit-codes.ts).
 * Guest faults are never errors: they are data returned by the processor.
 */

export type ErrorCode =
  | 'ASM' // assembly source error
  | 'USAGE' // bad command-line arguments
  | 'FILE' // a missing or unreadable file
  | 'ELF' // a malformed ELF or binary image
  | 'LINK' // objects that cannot be linked (undefined or duplicate symbols, relocations out of range)
  | 'CONFIG' // an invalid option value given through the API
  | 'RESOURCE'; // a run went past a memory bound of the host (e.g. the world's console bound)

export class ShadowError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ShadowError';
  }
}
