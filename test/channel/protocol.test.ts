/** The channel's messages: the list of kinds, their one-line descriptions, and that a real pair run sends every kind. */
import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS, describeMessage, type MessageKind, type PrimaryToBackup, type StateDigest } from '../../src/channel/protocol.js';
import { CSRS } from '../../isa/csrs.js';
import { Pair } from '../../src/ft/pair.js';
import { World } from '../../src/hw/world.js';
import { generateProgram } from '../../src/genprog/genprog.js';

const digest: StateDigest = { regs: new Array(32).fill(0), pc: 0x80000000, csrHash: 1, memHash: 2, pages: [] };

/** Runs the primary of a pair alone to its halt, taking every message out of the channel as it is sent. */
function primaryMessages(seed: number, timer: boolean): { messages: PrimaryToBackup[]; kinds: Map<string, number> } {
  const p = generateProgram(seed, { io: true, timer });
  const pair = new Pair(p.image, { seed, ramMiB: 1, world: new World(), monitor: { epochLength: 100, checkDigests: true } });
  const kinds = new Map<string, number>();
  pair.primary.observe({
    onEvent: (kind, detail) => {
      if (kind === 'message-sent') kinds.set(detail, (kinds.get(detail) ?? 0) + 1);
    },
  });
  const messages: PrimaryToBackup[] = [];
  for (let i = 0; i < 100_000; i++) {
    const r = pair.primary.runEpoch(1_000_000);
    for (let m = pair.channel.receive(); m; m = pair.channel.receive()) messages.push(m);
    if (r === 'halted') return { messages, kinds };
    expect(['epoch', 'blocked']).toContain(r);
  }
  throw new Error('the primary did not halt');
}

describe('channel protocol', () => {
  it('has three kinds of message', () => {
    expect(MESSAGE_KINDS).toEqual(['interrupt', 'nondet', 'epoch-end']);
  });

  it('describes each kind in one line', () => {
    const io: PrimaryToBackup = {
      kind: 'interrupt',
      epoch: 3,
      interrupt: { class: 'io', opId: 7, device: 0, tag: 2, status: 0, result: 5 },
    };
    const read: PrimaryToBackup = {
      kind: 'interrupt',
      epoch: 4,
      interrupt: { class: 'io', opId: 8, device: 1, tag: -1, status: 1, result: 0, data: new Uint8Array(512) },
    };
    const timer: PrimaryToBackup = { kind: 'interrupt', epoch: 12, interrupt: { class: 'timer' } };
    const nondet: PrimaryToBackup = { kind: 'nondet', epoch: 5, csr: 0xc01, value: -1, now: 1234 };
    const end: PrimaryToBackup = { kind: 'epoch-end', epoch: 6, instret: 4096, reason: 'rr', now: 40960 };
    const endDigest: PrimaryToBackup = { kind: 'epoch-end', epoch: 7, instret: 4100, reason: 'wfi', now: 41000, digest };
    expect(describeMessage(io)).toBe('E3 interrupt io dev=0 tag=2 status=0 result=5');
    expect(describeMessage(read)).toBe('E4 interrupt io dev=1 tag=4294967295 status=1 result=0 +512B');
    expect(describeMessage(timer)).toBe('E12 interrupt timer');
    expect(describeMessage(nondet)).toBe('E5 nondet csr=0xc01 value=4294967295');
    expect(describeMessage(end)).toBe('E6 epoch-end (rr) instret=4096');
    expect(describeMessage(endDigest)).toBe('E7 epoch-end (wfi) instret=4100 +digest');
  });

  it('a pair running a generated program with I/O sends every kind, in epoch order, each epoch closed by its end', () => {
    const seen = new Set<MessageKind>();
    let timerSeen = false;
    for (const [seed, timer] of [
      [1, false],
      [2, true],
    ] as const) {
      const { messages, kinds } = primaryMessages(seed, timer);
      // The monitor's event hook saw exactly the messages that crossed the channel.
      const counted = new Map<string, number>();
      for (const m of messages) counted.set(m.kind, (counted.get(m.kind) ?? 0) + 1);
      expect(kinds).toEqual(counted);
      let epoch = 1;
      for (const m of messages) {
        seen.add(m.kind);
        expect(m.epoch).toBe(epoch);
        if (m.kind === 'epoch-end') {
          expect(m.digest).toBeDefined();
          epoch++;
        }
        if (m.kind === 'nondet') expect(CSRS.find((c) => c.number === m.csr)?.nondeterministic).toBe(true);
        if (m.kind === 'interrupt' && m.interrupt.class === 'timer') timerSeen = true;
        expect(describeMessage(m)).toMatch(
          /^E\d+ (interrupt (timer|io dev=0 tag=\d+ status=0 result=\d+)|nondet csr=0x[0-9a-f]+ value=\d+|epoch-end \((rr|drain|wfi|halt)\) instret=\d+ \+digest)$/,
        );
      }
      const last = messages[messages.length - 1]!;
      expect(last.kind === 'epoch-end' && last.reason).toBe('halt');
    }
    expect([...seen].sort()).toEqual([...MESSAGE_KINDS].sort());
    expect(timerSeen).toBe(true);
  });

  it('in a whole pair run (the backup consuming as it goes) every kind crosses the channel', () => {
    const p = generateProgram(3, { io: true });
    const pair = new Pair(p.image, {
      seed: 3,
      ramMiB: 1,
      world: new World(),
      channelCapacity: 4,
      backupPace: 0.5,
      monitor: { epochLength: 50 },
    });
    const kinds = new Set<string>();
    pair.primary.observe({
      onEvent: (kind, detail) => {
        if (kind === 'message-sent') kinds.add(detail);
      },
    });
    const r = pair.run();
    expect(r.stop).toBe('halt');
    expect([...kinds].sort()).toEqual([...MESSAGE_KINDS].sort());
    expect(pair.channel.sent).toBe(r.messages);
    expect(pair.channel.highWater).toBeLessThanOrEqual(4);
    expect(pair.backup.state.counters.messagesReceived).toBe(r.messages);
  });
});
