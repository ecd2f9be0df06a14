/** String and character literals as GNU as reads them: escapes, octal and hex codes, UTF-8 text. */

const SIMPLE: Readonly<Record<string, number>> = { b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /[0-9a-fA-F]/.test(c);
const encoder = new TextEncoder();

/** Bytes of the text between the quotes of a string literal (escapes decoded). */
export function decodeString(body: string): Uint8Array {
  if (!body.includes('\\')) return encoder.encode(body);
  const out: number[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      for (const b of encoder.encode(body.slice(i, i + len))) out.push(b);
      i += len;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    if (e === undefined) break;
    if (isOctal(e)) {
      let v = Number(e);
      for (let n = 1; n < 3 && isOctal(body[i]); n++) v = v * 8 + Number(body[i++]);
      out.push(v & 0xff);
    } else if ((e === 'x' || e === 'X') && isHex(body[i])) {
      let v = 0;
      while (isHex(body[i])) v = ((v << 4) | parseInt(body[i++]!, 16)) & 0xff;
      out.push(v);
    } else if (e in SIMPLE) {
      out.push(SIMPLE[e]!);
    } else {
      for (const b of encoder.encode(e)) out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/** Value of a character literal body (`a`, `\n`, `\101`). */
export function charValue(body: string): number {
  const bytes = decodeString(body);
  return bytes[0] ?? 0;
}

/**
 * Column (1-based) of the opening quote of a string that is not closed on its line, or undefined.
 * Skips comments and character literals like GNU as does.
 */
export function unterminatedString(line: string): number | undefined {
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '#') return undefined;
    if (c === '/' && line[i + 1] === '*') {
      const end = line.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    if (c === "'") {
      i += line[i + 1] === '\\' ? 3 : 2;
      if (line[i] === "'") i++;
      continue;
    }
    if (c === '"') {
      const start = i;
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      if (i >= line.length) return start + 1;
    }
    i++;
  }
  return undefined;
}
