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
  /** Told of what happens; the hot paths walk it by index (a for-of over it cost 15% of a pair's time at 16-instruction epochs). */
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
    const box = this.s.outbox;
    // Nothing queued before it and room in the channel: it leaves now.
    if (box.length === 0 && !this.stopped && this.out.trySend(m)) this.sent(m);
    else {
      box.push(m);
      this.flush();
    }
  }

  /** Moves queued messages into the channel in order; false when some must still wait. */
  flush(): boolean {
    const out = this.out;
    const box = this.s.outbox;
    if (!out) {
      if (box.length > 0) box.length = 0;
      return true;
    }
    // A stopped computer sends nothing more: what is still queued is lost with it.
    while (box.length > 0 && !this.stopped) {
      if (!out.trySend(box[0]!)) return false;
      this.sent(box.shift()!);
    }
    return true;
  }

  private sent(m: PrimaryToBackup): void {
    this.s.counters.messagesSent++;
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.onSent?.(m);
    this.event('message-sent', m.kind);
  }

  /** Counts an externally visible action and tells the observers; `detail` is described only when one of them listens to events. */
  event(kind: EventKind, detail: string | (() => string)): void {
    this.s.events++;
    const observers = this.observers;
    let text: string | undefined;
    for (let i = 0; i < observers.length; i++) {
      const o = observers[i]!;
      if (o.onEvent) o.onEvent(kind, (text ??= typeof detail === 'string' ? detail : detail()));
    }
  }

  /** Runs a delivery and tells the observers of the deferred traps it handed to the guest. */
  watchTraps<T>(at: TrapDeliveryPoint, deliver: () => T, v1 = this.s.v1, v2 = this.s.v2): T {
    const before = this.s.counters.trapsDelivered;
    const r = deliver();
    this.trapsDelivered(before, at, v1, v2);
    return r;
  }

  /** After a delivery: tells the observers of the deferred traps (v1, v2) it handed to the guest, if it handed any since `before`. */
  trapsDelivered(before: number, at: TrapDeliveryPoint, v1: number, v2: number): void {
    if (this.s.counters.trapsDelivered === before) return;
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.onTrapsDelivered?.(v1, v2, at);
  }
}
