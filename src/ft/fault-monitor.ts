/**
 * The fault monitor (150 in Figure 1): it learns that a computer has fail-stopped and tells the survivor,
 * but only after every message the failed computer sent before stopping has been received (the
 * patent's requirement on channel 106; Borg et al.'s failure notice queued behind in-flight messages).
 */
import type { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup } from '../channel/protocol.js';

export type Side = 'primary' | 'backup';

export class FaultMonitor {
  private failedSide: Side | undefined;
  private notified = false;

  constructor(
    private readonly channel: FifoChannel<PrimaryToBackup>,
    restored?: { failed: Side | undefined; notified: boolean },
  ) {
    this.failedSide = restored?.failed;
    this.notified = restored?.notified ?? false;
  }

  state(): { failed: Side | undefined; notified: boolean } {
    return { failed: this.failedSide, notified: this.notified };
  }

  /** A computer stopped. */
  report(side: Side): void {
    this.failedSide ??= side;
  }

  get failed(): Side | undefined {
    return this.failedSide;
  }

  /**
   * Whether the survivor may be told now: always for a failed backup (the primary sends, it does not
   * receive), and for a failed primary once the channel holds nothing more from it.
   */
  noticeReady(): boolean {
    if (this.failedSide === undefined || this.notified) return false;
    return this.failedSide === 'backup' || this.channel.size === 0;
  }

  /** Marks the notice as delivered; returns which side failed. */
  deliver(): Side {
    this.notified = true;
    return this.failedSide!;
  }
}
