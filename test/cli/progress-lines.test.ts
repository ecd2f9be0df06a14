import { describe, expect, it } from 'vitest';
import { progressLines } from '../../src/cli/progress-lines.js';

describe('progress lines off a terminal', () => {
  it('print at most one line per interval, with the count, the failures and an estimate', () => {
    let t = 1_000;
    const out: string[] = [];
    const p = progressLines(
      (s) => out.push(s),
      'fuzz',
      10_000,
      () => t,
    );
    p.update(1, 100, 0);
    t += 9_999;
    p.update(2, 100, 0);
    expect(out).toEqual([]);
    t += 1;
    p.update(20, 100, 1);
    t += 5_000;
    p.update(30, 100, 1);
    t += 5_000;
    p.update(50, 100, 2);
    expect(out).toEqual([
      'fuzz: 20/100 points, 1 failing cases, 10 s elapsed, about 40 s left\n',
      'fuzz: 50/100 points, 2 failing cases, 20 s elapsed, about 20 s left\n',
    ]);
  });
});
