import { describe, expect, it } from 'vitest';
import { clampToEpochCut, monitorConfig } from '../../src/vmm/config.js';
import { Pair } from '../../src/ft/pair.js';
import { program } from '../programs.js';

describe('epoch cuts', () => {
  it('clamp the recovery register to reach zero at the next cut, and leave it alone without one', () => {
    const c = monitorConfig({ epochLength: 100, epochCuts: [250, 130] });
    expect(c.epochCuts).toEqual([130, 250]);
    expect(clampToEpochCut(c, 100, 100)).toBe(30);
    expect(clampToEpochCut(c, 100, 20)).toBe(20);
    expect(clampToEpochCut(c, 130, 100)).toBe(100);
    expect(clampToEpochCut(c, 200, 100)).toBe(50);
    expect(clampToEpochCut(c, 300, 100)).toBe(100);
    expect(clampToEpochCut(monitorConfig({ epochLength: 100 }), 100, 100)).toBe(100);
  });

  it('must be positive integers', () => {
    expect(() => monitorConfig({ epochCuts: [0] })).toThrow('epoch cuts must be positive integers, got 0');
  });

  it('end an epoch on both replicas at exactly that instruction, and the run is otherwise the same', () => {
    const image = program('disk.s');
    const base = new Pair(image, { monitor: { epochLength: 4096, checkDigests: true } }).run();
    const ends: number[] = [];
    const pair = new Pair(image, { monitor: { epochLength: 4096, checkDigests: true, epochCuts: [777] } });
    pair.backup.observe({ onEpochEnd: (_e, _r, instret) => ends.push(instret) });
    const cut = pair.run();
    expect(ends).toContain(777);
    expect(cut.stop).toBe('halt');
    expect(cut.diverged).toBe(false);
    expect(cut.exitCode).toBe(base.exitCode);
    expect(cut.console).toBe(base.console);
    expect(cut.epochs).toBe(base.epochs + 1);
  });
});

describe('skipDigestsAlone', () => {
  it('a survivor alone after a takeover takes no digests (its dirty bits stay set), and the run is the same', () => {
    const image = program('disk.s');
    const run = (skip: boolean) => {
      const pair = new Pair(image, {
        monitor: { epochLength: 512, checkDigests: true, skipDigestsAlone: skip },
        failAt: { kind: 'event', n: 3 },
      });
      const result = pair.run();
      const dirty = pair.backup.computer.cpu.state.dirty.reduce((n, b) => n + b, 0);
      return { result: [result.stop, result.exitCode, result.failedOver, result.instructions], console: pair.world.consoleText(), dirty };
    };
    const checked = run(false);
    const skipped = run(true);
    expect(checked.result[2]).toBe(true);
    expect(skipped.result).toEqual(checked.result);
    expect(skipped.console).toBe(checked.console);
    expect(checked.dirty).toBe(0); // the last epoch's digest cleared them
    expect(skipped.dirty).toBeGreaterThan(0);
  });
});
