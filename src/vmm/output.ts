/**
 * What leaves a monitor (monitor.ts): the messages it queues for the backup, which enter the channel in
 * order as it has room; the externally visible actions it counts (the unit of failure points); and what its
 * observers are told. It also holds whether the computer has fail-stopped, since a stopped computer sends
 * nothing more.
 */
import type { PrimaryToBackup } from '../channel/protocol.js';
import type { Channel } from '../channel/channel.js';
import type { EventKind, MonitorState } from './state.js';
import type { MonitorObserver, TrapDeliveryPoint } from './monitor-types.js';

export class MonitorOutput {
  readonly observers: MonitorObserver[] = [];

  constructor(
    private readonly s: MonitorState,
    /** Whether the computer has fail-stopped. */
    public stopped: boolean,
    /** The channel to the backup while one listens. */
    public out: Channel<PrimaryToBackup> | undefined,
  ) {}

  /** Primary: queues a message for the backup; it leaves when the channel has room. */
  send(m: PrimaryToBackup): void {
    if (!this.out) return;
    this.s.outbox.push(m);
    this.flush();
  }

  /** Moves queued messages into the channel in order; false when some must still wait. */
  flush(): boolean {
    const out = this.out;
    const box = this.s.outbox;
    if (!out) {
      box.length = 0;
      return true;
    }
    // A stopped computer sends nothing more: what is still queued is lost with it.
    while (box.length > 0 && !this.stopped) {
      if (!out.trySend(box[0]!)) return false;
      const m = box.shift()!;
      this.s.counters.messagesSent++;
      for (const o of this.observers) o.onSent?.(m);
      this.event('message-sent', m.kind);
    }
    return true;
  }

  /** Counts an externally visible action and tells the observers. */
  event(kind: EventKind, detail: string): void {
    this.s.events++;
    for (const o of this.observers) o.onEvent?.(kind, detail);
  }

  /** Runs a delivery and tells the observers of the deferred traps it handed to the guest. */
  watchTraps<T>(at: TrapDeliveryPoint, deliver: () => T, v1 = this.s.v1, v2 = this.s.v2): T {
    const before = this.s.counters.trapsDelivered;
    const r = deliver();
    if (this.s.counters.trapsDelivered !== before) for (const o of this.observers) o.onTrapsDelivered?.(v1, v2, at);
    return r;
  }
}
