import { describe, expect, it } from 'vitest';
import { formatFailureSequence, parseFailureSequence } from '../../src/ft/failure-sequence.js';

describe('failure sequences', () => {
  it('parses REPLICA@POINT elements in order', () => {
    expect(parseFailureSequence('event:120,backup@event:300,2@1500,primary@epoch:9')).toEqual([
      { rank: 0, point: { kind: 'event', n: 120 } },
      { rank: 1, point: { kind: 'event', n: 300 } },
      { rank: 2, point: { kind: 'instruction', n: 1500 } },
      { rank: 0, point: { kind: 'epoch', n: 9 } },
    ]);
    expect(formatFailureSequence(parseFailureSequence('event:120, backup@event:300,2@1500'))).toBe('event:120,backup@event:300,2@1500');
  });

  it('joining@POINT names the replica a rebackup is bringing in', () => {
    expect(parseFailureSequence('event:40,joining@event:90')).toEqual([
      { rank: 0, point: { kind: 'event', n: 40 } },
      { rank: 'joining', point: { kind: 'event', n: 90 } },
    ]);
    expect(formatFailureSequence(parseFailureSequence('event:40,joining@epoch:7'))).toBe('event:40,joining@epoch:7');
  });

  it('refuses bad elements with a clear message', () => {
    expect(() => parseFailureSequence('event:1,,event:2')).toThrow(
      "bad failure list 'event:1,,event:2': expected POINT or REPLICA@POINT elements separated by commas",
    );
    expect(() => parseFailureSequence('spare@event:3')).toThrow(
      "bad replica 'spare' in 'spare@event:3': expected primary, backup, joining or a rank from 0 to 64",
    );
    expect(() => parseFailureSequence('backup@epoch:0')).toThrow(
      "bad failure point 'epoch:0': expected an instruction count (e.g. 1200), epoch:N (N >= 1) or event:N",
    );
  });
});
