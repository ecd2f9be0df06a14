import { describe, expect, it } from 'vitest';
import { Pair } from '../../src/ft/pair.js';
import { ORACLES, type OracleContext } from '../../src/fuzz/oracles.js';
import { program } from '../programs.js';

const check = (name: string, pair: Pair): string | undefined =>
  ORACLES.find((o) => o.name === name)!.check({ pair } as unknown as OracleContext);

describe('single-primary reads the arbiter grants in the world log', () => {
  it("catches a deposed primary's write after the backup's grant, though the backup has not written yet", () => {
    // Only the order of effects (primary, primary) would see nothing wrong here: the backup never wrote.
    const pair = new Pair(program('disk.s'), { fencing: false });
    const w = pair.world;
    w.consoleWrite(0, new Uint8Array([65]), 'primary');
    pair.arbiter.testAndSet('backup', 1, 'takeover');
    w.consoleWrite(1, new Uint8Array([66]), 'primary');
    expect(check('single-primary', pair)).toBe('the primary did a console-write at offset 1 while the backup held incarnation 2');
    expect(check('fencing', pair)).toBe('the primary did a console-write at offset 1 after the backup won incarnation 2');
    pair.dispose();
  });

  it("holds for the holder's effects, a loser's refusals and a lost question", () => {
    const pair = new Pair(program('disk.s'));
    const w = pair.world;
    w.consoleWrite(0, new Uint8Array([65]), 'primary');
    pair.arbiter.testAndSet('primary', 1, 'go-on-alone');
    pair.arbiter.testAndSet('backup', 1, 'takeover'); // lost: the primary keeps incarnation 2
    w.consoleWrite(1, new Uint8Array([66]), 'primary');
    w.refuse({ opId: 9, device: 0, op: 2, offset: 2, len: 1, tag: 0 } as never, 1, 'backup');
    expect(check('single-primary', pair)).toBeUndefined();
    pair.dispose();
  });
});
