import { describe, expect, it } from 'vitest';
import { tellPartitionStory } from '../../src/cli/partition-story.js';
import { program } from '../programs.js';
import { cli } from './helpers.js';

describe('demo --partition: a split brain, told', () => {
  it('who asked the arbiter and won, what the loser tried and was refused, what the world saw', () => {
    const s = tellPartitionStory(program('disk.s'), 'disk.s', { monitor: { checkDigests: true } }, { kind: 'event', n: 10 }, 'primary');
    expect(s).toMatchObject({ told: true, ok: true });
    expect(s.text).toContain("2. Again, with the channel cut in both directions at the primary's event:10");
    expect(s.text).toContain(
      '- the backup asked to take over, expecting incarnation 1: WON incarnation 2; the devices now refuse every older one.',
    );
    expect(s.text).toMatch(
      /- a WRITE of (disk|console) at offset \d+ \(\d+ bytes\) of incarnation 1: REFUSED \(ERROR, result 0xFFFFFFFF\), never performed/,
    );
    expect(s.text).toContain("after the arbiter's answer, 0 effect(s) from the primary.");
    expect(s.text).toContain('Every oracle held');
  });

  it('the backup loses when the primary asks first', () => {
    const s = tellPartitionStory(program('disk.s'), 'disk.s', {}, { kind: 'event', n: 10 }, 'backup');
    expect(s.text).toContain('- the primary asked to go on alone, expecting incarnation 1: WON incarnation 2');
    expect(s.text).toContain(
      '- the backup asked to take over, expecting incarnation 1: lost (incarnation 2 is taken), so it stopped itself.',
    );
  });

  it('bad options are refused with exit 64', async () => {
    expect(await cli('demo', 'programs/disk.s', '--lose', 'backup')).toMatchObject({ code: 64 });
    const r = await cli('demo', 'programs/disk.s', '--partition', '--lose', 'both');
    expect(r.code).toBe(64);
    expect(r.err).toContain("shadowvm demo: --lose: expected primary or backup, got 'both'");
  });
});
