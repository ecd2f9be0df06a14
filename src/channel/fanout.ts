/**
 * Fan-out: one primary's messages to every backup of a group, each over its own FIFO channel. A send
 * succeeds only when every member has room (so all backups receive the same messages, in the same order);
 * otherwise nothing is sent and the primary waits, as with one channel. Members come and go: a failed
 * backup is removed, a new one added once its state transfer is complete. Send-only.
 */
import type { Channel } from './channel.js';

export class FanOutChannel<T> implements Channel<T> {
  private members: Channel<T>[];

  constructor(members: readonly Channel<T>[] = []) {
    this.members = [...members];
  }

  /** The most any member holds. */
  get size(): number {
    let n = 0;
    for (const m of this.members) n = Math.max(n, m.size);
    return n;
  }

  get full(): boolean {
    return this.members.some((m) => m.full);
  }

  get count(): number {
    return this.members.length;
  }

  trySend(message: T): boolean {
    if (this.full) return false;
    for (const m of this.members) m.trySend(message);
    return true;
  }

  peek(): undefined {
    return undefined;
  }

  receive(): undefined {
    return undefined;
  }

  add(member: Channel<T>): void {
    if (!this.members.includes(member)) this.members = [...this.members, member];
  }

  remove(member: Channel<T>): void {
    this.members = this.members.filter((m) => m !== member);
  }
}
