import { describe, expect, it } from 'vitest';
import { tellGroupStory } from '../../src/cli/group-story.js';
import { Deadline } from '../../src/cli/deadline.js';
import { program } from '../programs.js';

describe('the demo of a replica group', () => {
  it('tells a double failure: two takeovers, the rebackups with their figures, and the same world', () => {
    const s = tellGroupStory(
      program('counter.elf'),
      'counter.elf',
      { seed: 1, ramMiB: 2, backups: 2, rebackupAfter: 2, monitor: { checkDigests: true } },
      undefined,
      new Deadline(undefined),
    );
    expect(s.survived).toBe(true);
    expect(s.text).toMatch(/^shadowvm: counter.elf on a primary and 2 backup\(s\), each backup on its own FIFO channel \(fan-out\)\n/);
    expect(s.text.match(/Takeover \(Figure 7\) by the backup of lowest rank/g)).toHaveLength(2);
    expect(s.text).toMatch(/Rebackup: rebackup1 joined by state transfer from the primary, 2 epochs after the loss:/);
    expect(s.text).toMatch(
      /of RAM sent for \d+ KiB of non-zero guest RAM \(\d+\.\d\dx\); the guest paused 0\.\d\d epoch\(s\),\n {5}held at that boundary: its clock jumped \d+\.\d us with no instruction run;\n/,
    );
    expect(s.text).toContain('Same exit code: yes. Same console output: yes. Same disk contents: yes.');
    expect(s.text).toMatch(/surviving replica\(s\) \(.*\) end with the same state digest: yes\./);
  });
});
