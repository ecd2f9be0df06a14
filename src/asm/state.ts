/** The assembler's state shared by every part of it: the pass, the statement being assembled, sections and diagnostics. */
import type { Statement } from './ast.js';
import { LineError } from './line-error.js';
import { Section, outputOf } from './sections.js';
import type { Diagnostic } from './diagnostics.js';

export interface Item {
  readonly stmt: Statement;
  /** 1-based source line. */
  readonly line: number;
  /** File of the line, when it is not the main file (an `.include`d one). */
  readonly file?: string;
  /** Text shown under a message, when it is not the main file's line (included files, macro uses). */
  readonly source?: string;
  /** Where a statement from a macro body came from, appended to its messages. */
  readonly note?: string;
  /** Column every message of the statement points at (a macro's use), instead of the error's own. */
  readonly col?: number;
  /** Ordinal of the statement in the file, used to find `.set` versions and numeric labels. */
  readonly index: number;
}

export abstract class AsmState {
  pass: 1 | 2 = 1;
  readonly sections: Section[] = [];
  private readonly byName = new Map<string, Section>();
  cur!: Section;
  /** Statements (by index) that had an error in pass 1, with the bytes they took there: pass 2 skips them. */
  readonly failed = new Map<number, number>();
  readonly diagnostics: Diagnostic[] = [];
  /** The statement being assembled. */
  item!: Item;
  /** Where `.` is: the start of the statement, or of the data item being emitted. */
  dotOff = 0;
  optionDepth = 0;

  constructor(
    readonly file: string,
    readonly lines: readonly string[],
    /** Addresses of symbols defined outside the file (absolute values). */
    readonly externs: ReadonlyMap<string, number> = new Map(),
    /** Conditional branches (by statement index) to assemble as an inverted branch over a `jal`. */
    readonly longBranches: ReadonlySet<number> = new Set(),
    /** Assembling a relocatable object: sections stay at 0, references to other sections or files become relocations. */
    readonly relocatable = false,
  ) {
    for (const name of ['.text', '.data', '.bss']) this.section(name, 1);
  }

  errorCount = 0;

  // ---- diagnostics

  /** Records a message at the current statement (or, with `line`, at a line of the main file). */
  report(severity: 'error' | 'warning', col: number, message: string, line?: number): void {
    if (severity === 'error') this.errorCount++;
    const it = this.item;
    const own = line === undefined;
    const at = own ? it.line : line;
    this.diagnostics.push({
      file: (own ? it.file : undefined) ?? this.file,
      line: at,
      col: Math.max(1, col),
      severity,
      message: own && it.note ? `${message} (${it.note})` : message,
      source: (own ? it.source : undefined) ?? this.lines[at - 1] ?? '',
      order: own ? it.index : -1,
    });
  }

  warn(col: number, message: string): void {
    if (this.pass === 2) this.report('warning', col, message);
  }

  // ---- sections

  /** The section of that name, created on first use. */
  section(name: string, col: number): Section {
    let s = this.byName.get(name);
    if (!s) {
      const out = outputOf(name);
      if (!out)
        throw new LineError(
          col,
          `unsupported section '${name}' (use .text, .rodata, .srodata, .data, .sdata, .init_array, .bss, .sbss or their .name subsections)`,
        );
      s = new Section(name, out);
      this.byName.set(name, s);
      this.sections.push(s);
    }
    return s;
  }

  startPass(pass: 1 | 2): void {
    this.pass = pass;
    for (const s of this.sections) s.off = 0;
    this.cur = this.byName.get('.text')!;
    this.optionDepth = 0;
  }
}
