/** A source line reduced for parsing: comments dropped, spacing cut to what separates tokens, columns kept. */

/** Character codes of the blanks ([ \t\r\f\v]) and of the characters no space is kept next to. */
const isSpace = (k: number): boolean => k === 32 || k === 9 || k === 13 || k === 12 || k === 11;
const TIGHT = new Uint8Array(128);
for (const c of ',()=;:+-*/%&|^~!<>') TIGHT[c.charCodeAt(0)] = 1;
const isTight = (k: number): boolean => k < 128 && TIGHT[k] === 1;
const QUOTE = 34;
const APOSTROPHE = 39;
const HASH = 35;
const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;

/**
 * The line without comments and with its spacing reduced to what separates tokens, plus the
 * original index of every character kept. Parsing this is much faster (ohm applies a rule per
 * character of space), and columns are mapped back, so messages are unchanged.
 */
export function compact(line: string): { text: string; map: number[] } {
  let text = '';
  const map: number[] = [];
  let pendingSpace = -1;
  /** Code of the last character of `text` (-1 when empty). */
  let last = -1;
  const put = (at: number): void => {
    text += line[at]!;
    map.push(at);
    last = line.charCodeAt(at);
  };
  const emit = (at: number): void => {
    const c = line.charCodeAt(at);
    if (pendingSpace >= 0 && last !== -1 && !isTight(last) && !isTight(c)) {
      text += ' ';
      map.push(pendingSpace);
    }
    pendingSpace = -1;
    put(at);
  };
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      emit(i);
      for (i++; i < line.length; i++) {
        put(i);
        const k = line.charCodeAt(i);
        if (k === BACKSLASH && i + 1 < line.length) put(++i);
        else if (k === QUOTE) break;
      }
    } else if (c === APOSTROPHE) {
      emit(i);
      const n = line.charCodeAt(i + 1) === BACKSLASH ? 2 : 1;
      for (let k = 0; k < n && i + 1 < line.length; k++) put(++i);
      if (line.charCodeAt(i + 1) === APOSTROPHE) put(++i);
    } else if (c === HASH) break;
    else if (c === SLASH && line.charCodeAt(i + 1) === STAR) {
      const end = line.indexOf('*/', i + 2);
      if (end < 0) {
        emit(i);
        continue;
      }
      if (pendingSpace < 0) pendingSpace = i;
      i = end + 1;
    } else if (isSpace(c)) {
      if (pendingSpace < 0) pendingSpace = i;
    } else emit(i);
  }
  return { text, map };
}
