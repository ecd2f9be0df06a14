import { describe, expect, it } from 'vitest';
import { Pair, type PairOptions } from '../../src/ft/pair.js';
import { flawsOf } from '../../src/fuzz/case.js';
import { program } from '../programs.js';

const base: PairOptions = { seed: 11, monitor: { checkDigests: true } };

const failAt = (n: number, names: Parameters<typeof flawsOf>[0]) =>
  new Pair(program('journal.elf'), { ...base, failAt: { kind: 'event', n }, policies: flawsOf(names) }).run();

describe('flawed monitor policies', () => {
  it("no-disconnect: the takeover synthesises no DISCONNECTED interrupt where the patent's does", () => {
    expect(failAt(15, []).takeover!.disconnected).toEqual([1]);
    expect(failAt(15, ['no-disconnect']).takeover!.disconnected).toEqual([]);
  });

  it("keep-completions: the takeover deletes none of the failed epoch's completions", () => {
    expect(failAt(14, []).takeover!.deletedCompletions).toBe(1);
    expect(failAt(14, ['keep-completions']).takeover!.deletedCompletions).toBe(0);
  });

  it("mid-epoch-delivery: the replicas' digests differ (the primary delivers what the backup delivers only at the epoch end)", () => {
    expect(new Pair(program('journal.elf'), base).run().diverged).toBe(false);
    const r = new Pair(program('journal.elf'), { ...base, policies: flawsOf(['mid-epoch-delivery']) }).run();
    expect(r.stop).toBe('diverged');
  });

  it('no flaw is the patent: the same run, bit for bit, as with the default policies', () => {
    const plain = new Pair(program('journal.elf'), { ...base, failAt: { kind: 'event', n: 30 } }).run();
    expect(JSON.stringify(failAt(30, []))).toBe(JSON.stringify(plain));
  });
});
