/** Messages for lines the grammar rejects: a bad operand when one can be found, else what was expected and found. */
import type * as ohm from 'ohm-js';
import { LineError } from './line-error.js';

/** Top-level pieces of `text` split at `sep` (outside parentheses, strings and characters), with their offsets. */
function split(text: string, sep: string, from: number): { text: string; at: number }[] {
  const parts: { text: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (c === "'") i += text[i + 1] === '\\' ? 2 : 1;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth <= 0) {
      parts.push({ text: text.slice(start, i), at: from + start });
      start = i + 1;
    }
  }
  parts.push({ text: text.slice(start), at: from + start });
  return parts;
}

/** A more precise message than the grammar's for an operand that does not parse, if there is one. */
export function badOperand(line: string, grammar: ohm.Grammar): LineError | undefined {
  const code = line.replace(/#.*$/, '');
  for (const stmt of split(code, ';', 0)) {
    const head = /^(\s*(?:[A-Za-z_.$][\w.$]*|\d+)\s*:)*\s*([.A-Za-z][\w.]*)\s*/.exec(stmt.text);
    if (!head || head[0].length === stmt.text.length) continue;
    const rule = head[2]!.startsWith('.') ? 'dirArg' : 'operand';
    if (head[2] === '.insn') continue;
    const rest = stmt.text.slice(head[0].length);
    for (const part of split(rest, ',', stmt.at + head[0].length)) {
      const t = part.text.trim();
      const col = part.at + (part.text.length - part.text.trimStart().length) + 1;
      if (t === '' && rule === 'operand') return new LineError(col, 'missing operand');
      if (t !== '' && grammar.match(t, rule).failed()) return new LineError(col, `bad operand '${t}'`);
    }
  }
  return undefined;
}

export function syntaxMessage(line: string, pos: number, expected: string): string {
  const rest = line.slice(pos);
  const token = /^\S+/.exec(rest)?.[0];
  const found = token === undefined ? 'end of line' : `'${token.length > 20 ? token.slice(0, 20) + '...' : token}'`;
  return `syntax error: expected ${expected}, found ${found}`;
}
