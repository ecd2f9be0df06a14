import { describe, expect, it } from 'vitest';
import { FifoChannel } from '../../src/channel/fifo.js';
import type { PrimaryToBackup } from '../../src/channel/protocol.js';
import { MonitorOutput } from '../../src/vmm/output.js';
import { initialMonitorState } from '../../src/vmm/state.js';

const epochEnd = (epoch: number): PrimaryToBackup => ({
  kind: 'epoch-end',
  epoch,
  instret: epoch * 10,
  reason: 'rr',
  now: 0,
  digest: undefined,
});

describe('what leaves a monitor', () => {
  it('counts every event, and describes it once, only when an observer listens to events', () => {
    const s = initialMonitorState('primary');
    const out = new MonitorOutput(s, false, undefined);
    let described = 0;
    const detail = (): string => `op ${++described}`;
    out.event('io-issued', detail);
    out.observers.push({}, { onSent: () => {} });
    out.event('io-issued', detail);
    expect([s.events, described]).toEqual([2, 0]);
    const heard: string[] = [];
    out.observers.push({ onEvent: (k, d) => heard.push(`${k} ${d}`) }, { onEvent: (k, d) => heard.push(`again ${k} ${d}`) });
    out.event('completion-received', detail);
    expect([s.events, described]).toEqual([3, 1]);
    expect(heard).toEqual(['completion-received op 1', 'again completion-received op 1']);
  });

  it('sends in order: a message waits behind those queued before it while the channel is full', () => {
    const s = initialMonitorState('primary');
    const channel = new FifoChannel<PrimaryToBackup>(2);
    const out = new MonitorOutput(s, false, channel);
    for (let e = 0; e < 4; e++) out.send(epochEnd(e));
    expect([channel.size, s.outbox.length, s.counters.messagesSent]).toEqual([2, 2, 2]);
    channel.receive();
    out.send(epochEnd(4));
    expect(channel.contents().map((m) => m.epoch)).toEqual([1, 2]);
    expect(s.outbox.map((m) => m.epoch)).toEqual([3, 4]);
    channel.receive();
    channel.receive();
    expect(out.flush()).toBe(true);
    expect(channel.contents().map((m) => m.epoch)).toEqual([3, 4]);
    expect(s.counters.messagesSent).toBe(5);
  });

  it('a stopped computer sends nothing more: what it queues is lost with it', () => {
    const s = initialMonitorState('primary');
    const channel = new FifoChannel<PrimaryToBackup>(8);
    const out = new MonitorOutput(s, true, channel);
    out.send(epochEnd(0));
    expect([channel.size, s.counters.messagesSent, s.events]).toEqual([0, 0, 0]);
  });
});
