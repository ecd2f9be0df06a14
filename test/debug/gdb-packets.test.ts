import { describe, expect, it } from 'vitest';
import {
  MAX_PACKET,
  PacketDecoder,
  encodePacket,
  fromHex,
  fromLe32,
  hexNum,
  hexToText,
  le32,
  textToHex,
  toHex,
} from '../../src/debug/gdb-packets.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('the gdb packet codec', () => {
  it('frames a packet with its checksum and escapes $ # } *', () => {
    expect(encodePacket('OK')).toBe('$OK#9a');
    expect(encodePacket('')).toBe('$#00');
    expect(encodePacket('a$b#c}d*')).toBe('$a}\x04b}\x03c}]d}\x0a#ec');
    // The decoder reads back what the encoder wrote, escapes included.
    expect(new PacketDecoder().feed(bytes(encodePacket('a$b#c}d*')))).toEqual([{ kind: 'packet', data: 'a$b#c}d*' }]);
  });

  it('decodes acks, Ctrl-C and packets split across chunks, ignoring noise between packets', () => {
    const d = new PacketDecoder();
    expect(d.feed(bytes('+-\x03junk$qSup'))).toEqual([{ kind: 'ack' }, { kind: 'nak' }, { kind: 'interrupt' }]);
    expect(d.feed(bytes('ported#'))).toEqual([]);
    expect(d.feed(bytes('37$g#67'))).toEqual([
      { kind: 'packet', data: 'qSupported' },
      { kind: 'packet', data: 'g' },
    ]);
  });

  it('reports a bad checksum and an overlong packet, and recovers for the next packet', () => {
    const d = new PacketDecoder();
    expect(d.feed(bytes('$g#00$g#zz'))).toEqual([
      { kind: 'bad', why: "bad checksum '00' (expected 67)" },
      { kind: 'bad', why: "bad checksum 'zz' (expected 67)" },
    ]);
    expect(d.feed(bytes('$' + 'a'.repeat(MAX_PACKET + 1) + '#00'))).toEqual([
      { kind: 'bad', why: `packet longer than ${MAX_PACKET} bytes` },
    ]);
    // A packet cut short by a new `$` is dropped.
    expect(d.feed(bytes('$m0,4$g#67'))).toEqual([{ kind: 'packet', data: 'g' }]);
  });

  it('converts hex, little-endian registers and text', () => {
    expect(toHex(Uint8Array.of(0, 0xab, 0x10))).toBe('00ab10');
    expect(fromHex('00aB10')).toEqual(Uint8Array.of(0, 0xab, 0x10));
    expect(fromHex('0')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
    expect(le32(0x80001234)).toBe('34120080');
    expect(fromLe32('34120080')).toBe(0x80001234);
    expect(fromLe32('341200')).toBeUndefined();
    expect(hexToText(textToHex('monitor épée'))).toBe('monitor épée');
    expect(hexNum('80000000')).toBe(0x80000000);
    expect(hexNum('100000000')).toBeUndefined();
    expect(hexNum('')).toBeUndefined();
  });
});
