/** The error of the assembler's line-level code: a message at a column of the line. */

/** A problem at a column of the line being parsed. */
export class LineError extends Error {
  constructor(
    readonly col: number,
    message: string,
  ) {
    super(message);
  }
}
