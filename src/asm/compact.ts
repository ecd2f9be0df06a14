/** A source line reduced for parsing: comments dropped, spacing cut to what separates tokens, columns kept. */

const SPACE = /[ \t\r\f\v]/;
const TIGHT = new Set([...',()=;:+-*/%&|^~!<>']);

/**
 * The line without comments and with its spacing reduced to what separates tokens, plus the
 * original index of every character kept. Parsing this is much faster (ohm applies a rule per
 * character of space), and columns are mapped back, so messages are unchanged.
 */
export function compact(line: string): { text: string; map: number[] } {
  let text = '';
  const map: number[] = [];
  let pendingSpace = -1;
  const emit = (c: string, at: number): void => {
    if (pendingSpace >= 0 && text !== '' && !TIGHT.has(text[text.length - 1]!) && !TIGHT.has(c)) {
      text += ' ';
      map.push(pendingSpace);
    }
    pendingSpace = -1;
    text += c;
    map.push(at);
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      emit(c, i);
      for (i++; i < line.length; i++) {
        text += line[i];
        map.push(i);
        if (line[i] === '\\' && i + 1 < line.length) {
          text += line[++i];
          map.push(i);
        } else if (line[i] === '"') break;
      }
    } else if (c === "'") {
      emit(c, i);
      const n = line[i + 1] === '\\' ? 2 : 1;
      for (let k = 0; k < n && i + 1 < line.length; k++) {
        text += line[++i];
        map.push(i);
      }
      if (line[i + 1] === "'") {
        text += line[++i];
        map.push(i);
      }
    } else if (c === '#') break;
    else if (c === '/' && line[i + 1] === '*') {
      const end = line.indexOf('*/', i + 2);
      if (end < 0) {
        emit(c, i);
        continue;
      }
      if (pendingSpace < 0) pendingSpace = i;
      i = end + 1;
    } else if (SPACE.test(c)) {
      if (pendingSpace < 0) pendingSpace = i;
    } else emit(c, i);
  }
  return { text, map };
}
