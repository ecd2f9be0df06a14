/**
 * One line reader over stdin for the interactive commands (`step`), made once and kept for the whole
 * session: with a terminal it prompts and edits lines (readline's terminal mode); with piped stdin it takes
 * the lines as they come, never prompting. Lines that arrive before they are asked for wait in a queue, and
 * the end of the input (Ctrl-D, the end of a pipe) or Ctrl-C answers every later read with `undefined`.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export class LineReader {
  private readonly rl: Interface;
  private readonly queue: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;

  /** `terminal`: `input` is a terminal, echoed and prompted on `output`. */
  constructor(
    input: Readable,
    output: Writable,
    private readonly terminal: boolean,
  ) {
    this.rl = createInterface({ input, output: terminal ? output : undefined, terminal, crlfDelay: Infinity });
    this.rl.on('line', (line) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (w) w(line);
      else this.queue.push(line);
    });
    this.rl.on('close', () => {
      this.ended = true;
      const w = this.waiting;
      this.waiting = undefined;
      w?.(undefined);
    });
    // Ctrl-C at the prompt ends the session as Ctrl-D does (readline would otherwise only pause the input).
    this.rl.on('SIGINT', () => this.rl.close());
  }

  /** The next line, without its end of line; `undefined` once the input has ended. Prompts on a terminal. */
  read(prompt: string): Promise<string | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    if (this.ended) return Promise.resolve(undefined);
    if (this.terminal) {
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** Lets go of the input, so that the process can exit. */
  close(): void {
    if (!this.ended) this.rl.close();
  }
}
