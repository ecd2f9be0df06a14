import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const REFUSAL = 'partitions are modelled for a pair only: drop --backups and --rebackup-after, or fail-stop the replicas';

describe('pair --fail-at partition@POINT', () => {
  it('runs a pair, at an instruction count as at an event, and reports the arbiter', async () => {
    const plain = await cli('pair', 'programs/disk.s');
    for (const point of ['partition@1500', 'partition@event:6']) {
      const r = await cli('pair', 'programs/disk.s', '--fail-at', point, '--json');
      expect(r.code).toBe(plain.code); // the guest's exit code, as without a failure
      const j = JSON.parse(r.out) as { failurePoint: string; arbiter: { asker: string; won: boolean }[] };
      expect(j.failurePoint).toBe(point);
      expect(j.arbiter[0]).toMatchObject({ asker: 'backup', won: true });
    }
  });

  it('--fail-side backup: the backup loses the race to the arbiter, or fail-stops at the point', async () => {
    const plain = await cli('pair', 'programs/disk.s');
    const lost = await cli('pair', 'programs/disk.s', '--fail-at', 'partition@event:6', '--fail-side', 'backup', '--json');
    expect(lost.code).toBe(plain.code);
    const j = JSON.parse(lost.out) as { arbiter: { asker: string; won: boolean; why: string }[]; failedOver: boolean };
    expect(j.failedOver).toBe(false);
    expect(j.arbiter.map((d) => [d.asker, d.won, d.why])).toEqual([
      ['primary', true, 'go-on-alone'],
      ['backup', false, 'takeover'],
    ]);
    const stopped = await cli('pair', 'programs/disk.s', '--fail-at', '3000', '--fail-side', 'backup', '--json');
    expect(JSON.parse(stopped.out)).toMatchObject({ failureInjected: true, failedOver: false, stop: 'halt' });
    const bad = await cli('pair', 'programs/disk.s', '--fail-at', '3000', '--fail-side', 'both');
    expect(bad).toMatchObject({ code: 64 });
    expect(bad.err).toContain("shadowvm pair: --fail-side: expected primary or backup, got 'both'");
    expect((await cli('pair', 'programs/disk.s', '--fail-side', 'backup')).err).toContain('--fail-side needs --fail-at POINT');
  });

  it('with --backups K, --rebackup-after or in a failure list: refused with exit 64', async () => {
    const cases = [
      ['pair', 'programs/disk.s', '--fail-at', 'partition@event:6', '--backups', '2'],
      ['pair', 'programs/disk.s', '--fail-at', 'partition@1500', '--rebackup-after', '1'],
      ['pair', 'programs/disk.s', '--fail-at', 'event:3,partition@event:6'],
    ];
    for (const argv of cases) {
      const r = await cli(...argv);
      expect(r.code).toBe(64);
      expect(r.err).toContain(`shadowvm pair: --fail-at ${argv[3]}: ${REFUSAL}`);
    }
    const d = await cli('demo', 'programs/disk.s', '--partition', '--backups', '2');
    expect(d.code).toBe(64);
    expect(d.err).toContain(`shadowvm demo: ${REFUSAL}`);
  });
});
