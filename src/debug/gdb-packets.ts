/**
 * The framing of gdb's remote serial protocol: `$data#cc` packets with a two-digit checksum, `+`/`-`
 * acknowledgements, the Ctrl-C byte (0x03) that interrupts a running target, and `}` escapes (binary data
 * in `X` packets). `PacketDecoder` is fed raw bytes as they arrive from the socket and returns what they
 * complete; it never throws, whatever arrives.
 */

/** Longest packet accepted (and announced in qSupported as PacketSize), in bytes of payload. */
export const MAX_PACKET = 0x4000;

export type Incoming =
  /** A packet whose checksum matched (payload unescaped). */
  | { readonly kind: 'packet'; readonly data: string }
  /** A packet whose checksum did not match, or that was too long: answer `-` so that gdb sends it again. */
  | { readonly kind: 'bad'; readonly why: string }
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak' }
  | { readonly kind: 'interrupt' };

const enum State {
  Idle,
  Data,
  Escape,
  Sum1,
  Sum2,
}

export class PacketDecoder {
  private state = State.Idle;
  private data: number[] = [];
  private sum = 0;
  private given = '';
  private overlong = false;

  /** The events completed by `bytes`, in order. */
  feed(bytes: Uint8Array): Incoming[] {
    const out: Incoming[] = [];
    for (const b of bytes) {
      const ev = this.byte(b);
      if (ev) out.push(ev);
    }
    return out;
  }

  private byte(b: number): Incoming | undefined {
    switch (this.state) {
      case State.Idle:
        if (b === 0x24 /* $ */) {
          this.state = State.Data;
          this.data = [];
          this.sum = 0;
          this.overlong = false;
          return undefined;
        }
        if (b === 0x2b) return { kind: 'ack' };
        if (b === 0x2d) return { kind: 'nak' };
        if (b === 0x03) return { kind: 'interrupt' };
        return undefined; // noise between packets is ignored
      case State.Data:
      case State.Escape:
        if (b === 0x23 /* # */ && this.state === State.Data) {
          this.state = State.Sum1;
          this.given = '';
          return undefined;
        }
        this.sum = (this.sum + b) & 0xff;
        if (this.state === State.Escape) {
          this.state = State.Data;
          this.push(b ^ 0x20);
        } else if (b === 0x7d /* } */) {
          this.state = State.Escape;
        } else if (b === 0x24) {
          // A new packet starts before this one ended: drop the broken one.
          this.state = State.Data;
          this.data = [];
          this.sum = 0;
          this.overlong = false;
        } else {
          this.push(b);
        }
        return undefined;
      case State.Sum1:
        this.given = String.fromCharCode(b);
        this.state = State.Sum2;
        return undefined;
      case State.Sum2: {
        this.given += String.fromCharCode(b);
        this.state = State.Idle;
        if (this.overlong) return { kind: 'bad', why: `packet longer than ${MAX_PACKET} bytes` };
        const want = /^[0-9a-fA-F]{2}$/.test(this.given) ? parseInt(this.given, 16) : -1;
        if (want !== this.sum) return { kind: 'bad', why: `bad checksum '${this.given}' (expected ${hex2(this.sum)})` };
        return { kind: 'packet', data: String.fromCharCode(...this.data) };
      }
    }
  }

  private push(b: number): void {
    if (this.data.length >= MAX_PACKET) this.overlong = true;
    else this.data.push(b);
  }
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** `$data#cc`, with `$ # } *` escaped. `data` holds characters 0..255 only. */
export function encodePacket(data: string): string {
  let body = '';
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === 0x24 || c === 0x23 || c === 0x7d || c === 0x2a) {
      body += '}' + String.fromCharCode(c ^ 0x20);
      sum += 0x7d + (c ^ 0x20);
    } else {
      body += data[i];
      sum += c;
    }
  }
  return `$${body}#${hex2(sum & 0xff)}`;
}

/** Bytes as lowercase hex pairs. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += hex2(b);
  return s;
}

/** Hex pairs as bytes; undefined when `text` is not an even number of hex digits. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A 32-bit value as 8 hex digits in target (little-endian) byte order, as `g` and `p` carry registers. */
export function le32(v: number): string {
  const u = v >>> 0;
  return hex2(u & 0xff) + hex2((u >>> 8) & 0xff) + hex2((u >>> 16) & 0xff) + hex2(u >>> 24);
}

/** 8 hex digits in little-endian byte order as a 32-bit value; undefined when malformed. */
export function fromLe32(text: string): number | undefined {
  const b = text.length === 8 ? fromHex(text) : undefined;
  return b ? (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0 : undefined;
}

/** Text as hex pairs of its UTF-8 bytes (`qRcmd` arguments and replies, `O` packets). */
export const textToHex = (text: string): string => toHex(new TextEncoder().encode(text));

/** Hex pairs as UTF-8 text; undefined when malformed. */
export function hexToText(hex: string): string | undefined {
  const b = fromHex(hex);
  return b && new TextDecoder().decode(b);
}

/** A hex number of at most 8 digits (addresses, lengths, register numbers); undefined when malformed. */
export function hexNum(text: string | undefined): number | undefined {
  return text !== undefined && /^[0-9a-fA-F]{1,8}$/.test(text) ? parseInt(text, 16) : undefined;
}
