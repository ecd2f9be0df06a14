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
 * The kept characters of a line: copied in runs (`line.slice(runStart, runEnd)`), not one by one, and
 * their original indices. A class rather than closures: a cold process compacts every line before V8
 * optimises this, and closures would be allocated per line.
 */
class Compacted {
  text = '';
  readonly map: number[] = [];
  pendingSpace = -1;
  /** Code of the last character kept (-1 when none yet). */
  last = -1;
  runStart = 0;
  runEnd = 0;

  constructor(readonly line: string) {}

  put(at: number): void {
    if (at !== this.runEnd) {
      this.text += this.line.slice(this.runStart, this.runEnd);
      this.runStart = at;
    }
    this.runEnd = at + 1;
    this.map.push(at);
    this.last = this.line.charCodeAt(at);
  }

  emit(at: number): void {
    const c = this.line.charCodeAt(at);
    if (this.pendingSpace >= 0 && this.last !== -1 && !isTight(this.last) && !isTight(c)) {
      this.text += this.line.slice(this.runStart, this.runEnd) + ' ';
      this.runStart = this.runEnd = at;
      this.map.push(this.pendingSpace);
    }
    this.pendingSpace = -1;
    this.put(at);
  }
}

/**
 * The line without comments and with its spacing reduced to what separates tokens, plus the
 * original index of every character kept. Parsing this is much faster (ohm applies a rule per
 * character of space), and columns are mapped back, so messages are unchanged.
 */
export function compact(line: string): { text: string; map: number[] } {
  const k = new Compacted(line);
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      k.emit(i);
      for (i++; i < line.length; i++) {
        k.put(i);
        const q = line.charCodeAt(i);
        if (q === BACKSLASH && i + 1 < line.length) k.put(++i);
        else if (q === QUOTE) break;
      }
    } else if (c === APOSTROPHE) {
      k.emit(i);
      const n = line.charCodeAt(i + 1) === BACKSLASH ? 2 : 1;
      for (let j = 0; j < n && i + 1 < line.length; j++) k.put(++i);
      if (line.charCodeAt(i + 1) === APOSTROPHE) k.put(++i);
    } else if (c === HASH) break;
    else if (c === SLASH && line.charCodeAt(i + 1) === STAR) {
      const end = line.indexOf('*/', i + 2);
      if (end < 0) {
        k.emit(i);
        continue;
      }
      if (k.pendingSpace < 0) k.pendingSpace = i;
      i = end + 1;
    } else if (isSpace(c)) {
      if (k.pendingSpace < 0) k.pendingSpace = i;
    } else k.emit(i);
  }
  return { text: k.text + line.slice(k.runStart, k.runEnd), map: k.map };
}
