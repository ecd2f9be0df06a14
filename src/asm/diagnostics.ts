/** Assembler messages in GCC's shape: `file:line:col: error: text`, the source line, a caret under the column. */

export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** The source line, without its newline. */
  readonly source: string;
  /** Position of the statement in the assembled order (macro expansions included), for sorting; -1 when unknown. */
  readonly order?: number;
}

/** The caret line: the line's own tabs are kept so that the caret lines up in a terminal. */
export function caretLine(source: string, col: number): string {
  let pad = '';
  for (let i = 0; i < col - 1; i++) pad += source[i] === '\t' ? '\t' : ' ';
  return pad + '^';
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}\n${d.source}\n${caretLine(d.source, d.col)}`;
}
