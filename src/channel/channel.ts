/**
 * What a monitor needs of a channel: a bounded FIFO of messages, one direction. The in-memory
 * `FifoChannel` implements it; a network transport would too. Monitors depend on this, not on a transport.
 */
export interface Channel<T> {
  /** Messages held now. */
  readonly size: number;
  /** True when a send would fail. */
  readonly full: boolean;
  /** Appends a message; false (and nothing sent) when the channel is full. */
  trySend(message: T): boolean;
  /** The oldest message, without taking it. */
  peek(): T | undefined;
  /** Takes the oldest message. */
  receive(): T | undefined;
}
