import { describe, expect, it } from 'vitest';
import { Pair, type PairOptions } from '../../src/ft/pair.js';
import type { PrimaryToBackup } from '../../src/channel/protocol.js';
import { program } from '../programs.js';
import { assemble } from '../../src/asm/assembler.js';
import { Random } from '../../src/base/random.js';
import { IO_OP, type IoOp } from '../../src/hw/types.js';

function observed(name: string, opts: PairOptions) {
  const pair = new Pair(program(name), opts);
  const sent: PrimaryToBackup[] = [];
  const log: string[] = [];
  pair.primary.observe({
    onSent: (m) => {
      sent.push(m);
      if (m.kind === 'epoch-end') log.push(`P${m.epoch}`);
    },
  });
  pair.backup.observe({ onEpochEnd: (e) => log.push(`B${e}`) });
  const result = pair.run();
  return { pair, sent, log, result };
}

describe('epochs', () => {
  it('end exactly when the recovery register reaches zero, for any epoch length', () => {
    for (const epochLength of [1, 7, 100, 1000, 4096]) {
      // About 100 epochs of each length, and at least 20,000 instructions (epoch length 1 used to run 400,000 epochs).
      const maxInstructions = Math.max(20_000, Math.min(400_000, epochLength * 100));
      const { sent, result } = observed('sort.elf', { seed: 3, monitor: { epochLength }, maxInstructions });
      expect(result.stop).toBe('budget');
      const ends = sent.filter((m) => m.kind === 'epoch-end');
      let prev = 0;
      for (const e of ends) {
        if (e.kind !== 'epoch-end') continue;
        if (e.reason === 'rr') expect(e.instret - prev).toBe(epochLength);
        else expect(e.instret - prev).toBeLessThanOrEqual(epochLength);
        prev = e.instret;
      }
      expect(ends.filter((e) => e.kind === 'epoch-end' && e.reason === 'rr').length).toBeGreaterThanOrEqual(
        Math.min(100, 20_000 / epochLength) - 2,
      );
    }
  });

  it('the backup executes epoch E only after the epoch-end message for E', () => {
    const { log, result } = observed('journal.elf', { seed: 2, monitor: { epochLength: 1000 }, backupPace: 0.3, channelCapacity: 64 });
    expect(result.stop).toBe('halt');
    const sentAt = new Map<number, number>();
    log.forEach((entry, i) => {
      if (entry.startsWith('P')) sentAt.set(Number(entry.slice(1)), i);
    });
    let behind = 0;
    log.forEach((entry, i) => {
      if (!entry.startsWith('B')) return;
      const e = Number(entry.slice(1));
      expect(sentAt.get(e)).toBeLessThan(i);
      behind = Math.max(behind, [...sentAt.entries()].filter(([, at]) => at < i).length - e);
    });
    expect(behind).toBeGreaterThan(1); // with a slow backup it lags several epochs, not just one
  });

  it('a drain ends the epoch in the alternate embodiment', () => {
    const { sent, result } = observed('mix.elf', { seed: 1, monitor: { drainEndsEpoch: true, checkDigests: true } });
    expect(result.stop).toBe('halt');
    expect(result.diverged).toBe(false);
    expect(sent.some((m) => m.kind === 'epoch-end' && m.reason === 'drain')).toBe(true);
  });
});

describe('the backup', () => {
  it('never performs I/O: every io is a no-op that looks to the guest as it did on the primary', () => {
    for (const name of ['journal.elf', 'echo.elf', 'mix.elf']) {
      const { pair, result } = observed(name, { seed: 9, monitor: { checkDigests: true } });
      expect(result.stop).toBe('halt');
      expect(result.diverged).toBe(false);
      expect(pair.world.effects.every((e) => e.by === 'primary')).toBe(true);
      expect(pair.backup.state.counters.ioIssued).toBe(0);
      expect(pair.backup.state.counters.ioNoops).toBe(pair.primary.state.counters.ioIssued);
      expect(pair.backup.computer.cpu.state.regs).toEqual(pair.primary.computer.cpu.state.regs);
    }
  });

  it("keeps no WRITE data: its operations are the primary's without the bytes only a device needs", () => {
    const pair = new Pair(program('journal.elf'), { seed: 9 });
    const ops: { primary: IoOp[]; backup: IoOp[] } = { primary: [], backup: [] };
    pair.primary.observe({ onIoStarted: (op) => ops.primary.push(op) });
    pair.backup.computer.io.observer = { onIssued: (op) => ops.backup.push(op) };
    expect(pair.run().stop).toBe('halt');
    const writes = ops.primary.filter((o) => o.op === IO_OP.WRITE);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((o) => o.data !== undefined && o.data.length === o.len)).toBe(true);
    expect(ops.backup.every((o) => o.data === undefined)).toBe(true);
    expect(ops.backup.map(({ data: _, ...rest }) => rest)).toEqual(ops.primary.map(({ data: _, ...rest }) => rest));
  });

  it("uses the primary's nondeterministic values instead of its own clock", () => {
    // Reads time, cycle and seed in a loop that spans several epochs, and folds them into a0 and memory.
    const source = [
      '    li    s0, 40',
      '    li    a0, 0',
      '1:  rdtime a1',
      '    rdcycle a2',
      '    csrr  a3, seed',
      '    add   a0, a0, a1',
      '    xor   a0, a0, a2',
      '    add   a0, a0, a3',
      '    li    t0, 50',
      '2:  addi  t0, t0, -1',
      '    bnez  t0, 2b',
      '    addi  s0, s0, -1',
      '    bnez  s0, 1b',
      '    andi  a0, a0, 127',
      '    halt  a0',
    ].join('\n');
    const pair = new Pair(assemble(source, { file: 'nondet.s' }).image, { seed: 4, monitor: { epochLength: 500, checkDigests: true } });
    const sent: PrimaryToBackup[] = [];
    pair.primary.observe({ onSent: (m) => sent.push(m) });
    const result = pair.run();
    expect(result.stop).toBe('halt');
    expect(result.diverged).toBe(false);
    expect(sent.filter((m) => m.kind === 'nondet')).toHaveLength(120);
    expect(pair.backup.state.counters.nondetReads).toBe(120);
    expect(pair.backup.computer.cpu.state.regs).toEqual(pair.primary.computer.cpu.state.regs);
    // The two computers' own sources disagree: had the backup read its own, the replicas would differ.
    expect(pair.backup.computer.nondet(0x015)).not.toBe(pair.primary.computer.nondet(0x015));
    const bare = (seed: number) => new Pair(assemble(source).image, { seed, monitor: { protocol: false } }).run();
    expect(bare(4).exitCode === bare(5).exitCode && bare(4).exitCode === result.exitCode).toBe(false);
  });
});

describe('the protocol keeps the replicas equal', () => {
  it('digests match at every epoch over 1,000 seeded runs of the trap- and I/O-heavy programs', async () => {
    // Each run draws its pair seed (device latencies, trap delays, clock jitter, timer phase), epoch
    // length, trap delay and drain mode from one seeded stream, so a failing run names its configuration.
    const rng = new Random(20261127);
    const images = { 'traps.s': program('traps.s'), 'disk.s': program('disk.s') };
    const expected = { 'traps.s': 41, 'disk.s': 39 };
    let runs = 0;
    for (let i = 0; i < 1000; i++) {
      const name = i % 2 === 0 ? 'traps.s' : 'disk.s';
      const seed = rng.nextU32();
      const epochLength = [7, 64, 257, 1000, 4096][rng.below(5)]!;
      const trapDelayMax = rng.below(65);
      const drainEndsEpoch = rng.below(2) === 1;
      const pair = new Pair(images[name], { seed, trapDelayMax, ramMiB: 2, monitor: { epochLength, drainEndsEpoch, checkDigests: true } });
      const r = pair.run();
      pair.dispose();
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve)); // let the test runner hear from us
      const what = `${name} seed ${seed} epoch ${epochLength} delay ${trapDelayMax} drainEndsEpoch ${drainEndsEpoch}`;
      expect(r.diverged, `${what}: ${r.divergence?.where}`).toBe(false);
      expect(r.stop, what).toBe('halt');
      expect(r.exitCode, what).toBe(expected[name]);
      runs++;
    }
    expect(runs).toBe(1000);
  });

  it('digests match at every epoch over seeds, epoch lengths and trap delays', () => {
    let runs = 0;
    for (const name of ['mix.elf', 'journal.elf']) {
      for (const seed of [1, 2, 3]) {
        for (const epochLength of [257, 4096]) {
          for (const trapDelayMax of [0, 40]) {
            const r = new Pair(program(name), { seed, trapDelayMax, monitor: { epochLength, checkDigests: true } }).run();
            expect(r.diverged, `${name} seed ${seed} epoch ${epochLength} delay ${trapDelayMax}: ${r.divergence?.where}`).toBe(false);
            expect(r.stop).toBe('halt');
            runs++;
          }
        }
      }
    }
    expect(runs).toBe(24);
  });

  it('without the protocol (ablation) the replicas diverge on a program with I/O and deferred traps', () => {
    const diverged = [1, 2, 3, 4].map((seed) =>
      new Pair(program('mix.elf'), { seed, monitor: { protocol: false, checkDigests: true } }).run(),
    );
    expect(diverged.some((r) => r.diverged)).toBe(true);
  });

  it("with Drain_Priv = 0 a drain shows each replica only its own hardware's traps, and they diverge", () => {
    const runs = [1, 2, 3, 4, 5, 6].map((seed) =>
      new Pair(program('mix.elf'), { seed, trapDelayMax: 64, monitor: { drainPriv: 0, checkDigests: true } }).run(),
    );
    expect(runs.some((r) => r.diverged)).toBe(true);
    const fixed = [1, 2, 3, 4, 5, 6].map((seed) =>
      new Pair(program('mix.elf'), { seed, trapDelayMax: 64, monitor: { drainPriv: 1, checkDigests: true } }).run(),
    );
    expect(fixed.every((r) => !r.diverged)).toBe(true);
  });
});

describe('the channel', () => {
  it('is bounded: a slow backup holds the primary back, and the outcome is the same', () => {
    const free = new Pair(program('journal.elf'), { seed: 5 }).run();
    const pair = new Pair(program('journal.elf'), { seed: 5, channelCapacity: 3, backupPace: 0.1 });
    const tight = pair.run();
    expect(pair.channel.highWater).toBeLessThanOrEqual(3);
    expect(tight.console).toBe(free.console);
    expect(tight.exitCode).toBe(free.exitCode);
  });
});

describe('equivalence checks', () => {
  function corrupted(change: (pair: Pair) => void) {
    const pair = new Pair(program('sort.elf'), { seed: 1, monitor: { checkDigests: true, epochLength: 1000 } });
    for (let i = 0; i < 5; i++) pair.turn();
    change(pair);
    return pair.run();
  }

  it('name the first differing register', () => {
    const r = corrupted((p) => void (p.backup.computer.cpu.state.regs[2]! -= 16));
    expect(r.stop).toBe('diverged');
    const m = /^register x2 \(sp\): primary 0x([0-9a-f]{8}), backup 0x([0-9a-f]{8})$/.exec(r.divergence?.where ?? '');
    expect(m, r.divergence?.where).not.toBeNull();
    expect(parseInt(m![1]!, 16) - parseInt(m![2]!, 16)).toBe(16);
  });

  it('name the differing memory range', () => {
    const r = corrupted((p) => {
      const ram = p.backup.computer.cpu.state.ram;
      const at = 0x3000;
      ram[at] = ram[at]! ^ 0xff;
      p.backup.computer.cpu.state.dirty[at >> 12] = 1;
    });
    expect(r.stop).toBe('diverged');
    expect(r.divergence?.where).toBe('memory 0x80003000..0x80003fff');
  });
});
