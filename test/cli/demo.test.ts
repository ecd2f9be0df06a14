import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-demo-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('shadowvm demo', () => {
  it('refuses a guest that never halts before telling any story, with the budget line, exit 69', async () => {
    const loop = file('loop.s', 'nop\nspin: addi a0, a0, 1\nj spin\n');
    const out = await cli('demo', loop, '--max-instructions', '20000');
    expect(out.code).toBe(69);
    expect(out.out).toBe('');
    expect(out.err).toBe(
      `shadowvm demo: the failure-free run of ${loop} did not halt (budget reached: 20000 instructions at pc 0x80000008 (spin+0x4); raise it with --max-instructions N).\n` +
        'A failover story needs a guest that halts; nothing more was run.\n',
    );
  });

  it('--partition and --backups refuse a guest that never halts the same way: exit 69, stderr only (was exit 70)', async () => {
    const loop = file('loop2.s', 'nop\nspin: addi a0, a0, 1\nj spin\n');
    const split = await cli('demo', loop, '--partition', '--max-instructions', '20000');
    expect([split.code, split.out]).toEqual([69, '']);
    expect(split.err).toBe(
      `shadowvm demo: the failure-free run of ${loop} did not halt (budget reached: 20000 instructions at pc 0x80000008 (spin+0x4); raise it with --max-instructions N).\n` +
        'A split-brain story needs a guest that halts; nothing more was run.\n',
    );
    const group = await cli('demo', loop, '--backups', '2', '--max-instructions', '20000');
    expect([group.code, group.out, group.err]).toEqual([69, '', `shadowvm demo: the failure-free run of ${loop} did not halt (budget).\n`]);
  });

  it('a failure after the run ended: no takeover, and the last line says the guest saw no failure', async () => {
    const out = await cli('demo', 'programs/hello.s', '--fail-at', 'event:100000');
    expect(out.code).toBe(0);
    expect(out.out).toContain('No takeover happened, so the guest saw no failure at all.');
    expect(out.out).not.toContain('ordinary I/O failure');
  });

  it('a real takeover on the journal ends with the ordinary-I/O-failure line', async () => {
    const out = await cli('demo');
    expect(out.code).toBe(0);
    expect(out.out).toContain('The processor failure looked to the guest like an ordinary I/O failure.');
  });
});
