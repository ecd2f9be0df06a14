import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { programPath } from '../programs.js';

describe('shadowvm pair', () => {
  it('--fail-at event:N --json reports the failover, the takeover and the world', async () => {
    const r = await cli('pair', programPath('journal.elf'), '--fail-at', 'event:120', '--json');
    expect(r.code).toBe(50);
    const j = JSON.parse(r.out);
    expect(j.failedOver).toBe(true);
    expect(j.failurePoint).toBe('event:120');
    expect(j.takeover).toMatchObject({ epoch: expect.any(Number), instructions: expect.any(Number), reissued: expect.any(Number) });
    expect(j.console).toMatch(/^journal: wrote 48 records/);
    expect(j.world.effects.length).toBe(j.world.writes);
    expect(j.failureInjected).toBe(true);
    expect(Object.keys(j.digests)).toEqual(['failedPrimary', 'newPrimary']);
  });

  it('says so when --fail-at is never reached, instead of ignoring it', async () => {
    const r = await cli('pair', programPath('hello.s'), '--fail-at', 'event:1000');
    expect(r.code).toBe(13);
    expect(r.err).toMatch(
      /^note: --fail-at event:1000 was never reached: the run ended first \(107 instructions, \d+ events\); no failure was injected\n$/,
    );
    const j = JSON.parse((await cli('pair', programPath('hello.s'), '--fail-at', 'event:1000', '--json')).out);
    expect(j).toMatchObject({ failureInjected: false, failedOver: false });
    expect(Object.keys(j.digests)).toEqual(['primary', 'backup']);
  });

  it("without a failure prints the console and exits with the guest's code", async () => {
    const r = await cli('pair', programPath('hello.s'));
    expect(r).toMatchObject({ code: 13, out: 'hello, world\n', err: '' });
  });

  it('rejects a bad failure point with exit 64 and says what it expects', async () => {
    const r = await cli('pair', programPath('hello.s'), '--fail-at', 'epoch:0');
    expect(r.code).toBe(64);
    expect(r.err).toBe(
      "shadowvm pair: bad failure point 'epoch:0': expected an instruction count (e.g. 1200), epoch:N (N >= 1) or event:N\n" +
        'Usage: shadowvm pair PROGRAM [--epoch N] [--json] [--seed S] [--drain-priv 0|1] [--drain-ends-epoch] [--check-digests] [--no-protocol] [--fail-at POINT [--fail-side primary|backup]] [--timeout SEC] [--gdb PORT [--replica primary|backup|N]]\n',
    );
  });
});

describe('shadowvm step --script', () => {
  it('steps both replicas side by side without a terminal', async () => {
    const r = await cli('step', programPath('hello.s'), '--epoch', '16', '--script', 's 3; e; q');
    expect(r.code).toBe(0);
    expect(r.out).toContain('PRIMARY [primary]');
    expect(r.out).toContain('BACKUP [backup]');
    expect(r.out).toMatch(/epoch 1 {2}rr 13 {2}instret 3 +\| epoch 1 {2}rr 0 {2}instret 0/);
    expect(r.out).toContain('> e');
  });
});

describe('shadowvm fuzz', () => {
  it('exits 0 when every check held', async () => {
    const r = await cli('fuzz', programPath('hello.s'), '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.out).toContain('every check held');
  });

  it('exits 1 with replay lines on stdout when a check failed', async () => {
    const r = await cli('fuzz', programPath('disk.s'), '--workers', '1', '--flaw', 'mid-epoch-delivery');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^earliest failure: primary at event:\d+: digests: diverged in epoch \d+/m);
    expect(r.out).toMatch(/^npx shadowvm fuzz \S+disk\.s --seed 1 --epoch 4096 .*--fail-at event:\d+ .*--flaw mid-epoch-delivery$/m);
    const j = JSON.parse((await cli('fuzz', programPath('disk.s'), '--workers', '1', '--flaw', 'mid-epoch-delivery', '--json')).out);
    expect(j.failures.length).toBeGreaterThan(0);
    expect(j.earliest.oracle).toBe('digests');
  });

  it('exits 64 on bad usage', async () => {
    expect((await cli('fuzz', programPath('hello.s'), '--shard', '3/2')).code).toBe(64);
    expect((await cli('fuzz')).code).toBe(64);
  });
});
