import { describe, expect, it } from 'vitest';
import { Pair, type PairOptions } from '../../src/ft/pair.js';
import { formatFaultPoint, parseFaultPoint } from '../../src/ft/failure-point.js';
import { checkOracles } from '../../src/fuzz/oracles.js';
import { runReference, DEFAULT_CASE_CONFIG } from '../../src/fuzz/reference.js';
import { program } from '../programs.js';

const DISK = 'disk.s';
const ref = runReference(program(DISK), DEFAULT_CASE_CONFIG, { maxInstructions: 1_000_000, flaws: [] }, 0);

function partitioned(opts: PairOptions) {
  const pair = new Pair(program(DISK), { monitor: { checkDigests: true }, ...opts });
  const result = pair.run();
  const violations = checkOracles({ reference: ref.outcome, pair, result, diskHash: pair.world.diskDigest() });
  return { pair, result, violations: violations.map((v) => `${v.oracle}: ${v.detail}`) };
}

describe('partitions (spec 9)', () => {
  it('partition@POINT parses any point form and prints back; bad points are refused', () => {
    expect(parseFaultPoint('partition@event:12')).toEqual({ partition: true, point: { kind: 'event', n: 12 } });
    expect(parseFaultPoint('partition@1200')).toEqual({ partition: true, point: { kind: 'instruction', n: 1200 } });
    expect(parseFaultPoint('epoch:3')).toEqual({ partition: false, point: { kind: 'epoch', n: 3 } });
    expect(formatFaultPoint(parseFaultPoint(' partition@epoch:2 '))).toBe('partition@epoch:2');
    expect(formatFaultPoint(parseFaultPoint('partition@1200'))).toBe('partition@1200');
    expect(() => parseFaultPoint('partition@epoch:0')).toThrow(
      "bad partition point 'partition@epoch:0': expected partition@POINT, POINT an instruction count (e.g. 1200), epoch:N (N >= 1) or event:N",
    );
    expect(() => parseFaultPoint('partition@backup')).toThrow(/^bad partition point 'partition@backup'/);
  });

  it('partition@N cuts between two instructions, once N have retired', () => {
    const { pair, result, violations } = partitioned({ partition: { at: { kind: 'instruction', n: 1500 }, loser: 'primary' } });
    expect(violations).toEqual([]);
    expect(result).toMatchObject({ stop: 'halt', exitCode: ref.outcome.exitCode, failedOver: true, failedSide: 'primary' });
    expect(pair.partition!.state().cutInEpoch).toBeDefined();
    expect(pair.arbiter.decisions[0]).toMatchObject({ asker: 'backup', won: true, incarnation: 2, why: 'takeover' });
  });

  it('the primary loses: the backup wins incarnation 2 and takes over; the deposed primary is refused and stops itself', () => {
    const { pair, result, violations } = partitioned({ partition: { at: { kind: 'event', n: 6 }, loser: 'primary' } });
    expect(violations).toEqual([]);
    expect(result).toMatchObject({ stop: 'halt', exitCode: ref.outcome.exitCode, failedOver: true, failedSide: 'primary' });
    expect(pair.arbiter.decisions[0]).toMatchObject({ asker: 'backup', won: true, incarnation: 2, why: 'takeover' });
    expect(pair.primaryFailed).toBe(true);
    const refused = pair.world.effects.filter((e) => e.kind === 'refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.by === 'primary' && e.refused?.incarnation === 1)).toBe(true);
  });

  it('the backup loses: the primary asks first, wins and goes on alone; the backup asks, loses and stops', () => {
    const { pair, result, violations } = partitioned({ partition: { at: { kind: 'event', n: 6 }, loser: 'backup' } });
    expect(violations).toEqual([]);
    expect(result).toMatchObject({ stop: 'halt', exitCode: ref.outcome.exitCode, failedOver: false });
    expect(pair.arbiter.decisions.map((d) => [d.asker, d.won, d.why])).toEqual([
      ['primary', true, 'go-on-alone'],
      ['backup', false, 'takeover'],
    ]);
    expect(pair.backupFailed).toBe(true);
    expect(pair.world.effects.filter((e) => e.by === 'backup').map((e) => [e.kind, e.grant?.won])).toEqual([['grant', false]]);
  });

  it('without fencing the deposed primary writes the shared disk after it lost: fencing and single-primary catch it', () => {
    const { violations } = partitioned({ partition: { at: { kind: 'event', n: 10 }, loser: 'primary' }, fencing: false });
    expect(violations.find((v) => v.startsWith('fencing:'))).toMatch(
      /^fencing: the primary did a (disk|console)-write at offset \d+ after the backup won incarnation 2$/,
    );
    expect(violations.find((v) => v.startsWith('single-primary:'))).toMatch(
      /^single-primary: the primary did a (disk|console)-write at offset \d+ while the backup held incarnation 2$/,
    );
  });
});
