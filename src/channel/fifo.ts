/**
 * The in-memory FIFO transport between the monitors. Bounded: when it holds `capacity` messages a send
 * fails and the sender must wait, so a slow backup holds the primary back instead of the queue growing
 * without bound. Knows nothing of monitors or message meanings.
 */
import type { Channel } from './channel.js';

export class FifoChannel<T> implements Channel<T> {
  private items: T[] = [];
  private head = 0;
  /** Messages ever accepted, by anyone. */
  sent = 0;
  /** Largest number of messages held at once. */
  highWater = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`channel capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  /** Appends a message; false (and nothing sent) when the channel is full. */
  trySend(message: T): boolean {
    if (this.size >= this.capacity) return false;
    this.items.push(message);
    this.sent++;
    if (this.size > this.highWater) this.highWater = this.size;
    return true;
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  receive(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const m = this.items[this.head++]!;
    // A drained channel lets go of the messages it held at once, so that they die young (cheap to collect).
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return m;
  }

  /** The messages in flight, oldest first (for the stepper's view). */
  contents(): readonly T[] {
    return this.items.slice(this.head);
  }

  /** A copy that shares no mutable state with this one (messages themselves are immutable). */
  clone(): FifoChannel<T> {
    const c = new FifoChannel<T>(this.capacity);
    c.items = this.contents().slice();
    c.sent = this.sent;
    c.highWater = this.highWater;
    return c;
  }
}
