/** What a state transfer reports: its figures, and how it ended. */
export interface RebackupReport {
  /** The new replica's name. */
  readonly name: string;
  /** The guest epoch at which a replica was lost, and at which the transfer started. */
  readonly lostAtEpoch: number;
  readonly startEpoch: number;
  /** The epoch boundary of the final state (undefined until it joined). */
  readonly joinEpoch: number | undefined;
  /** joined, or aborted (the source failed or the guest finished first). */
  readonly outcome: 'running' | 'joined' | 'aborted';
  readonly abortReason?: string;
  /** Pre-copy rounds (each a pass over the pages written during the previous one), then the final round. */
  readonly rounds: number;
  /** Pages sent in each round, the final one last. */
  readonly pagesPerRound: readonly number[];
  /** RAM bytes sent in all (a page written again is sent again). */
  readonly ramBytes: number;
  /** Bytes of the final state besides RAM (registers, CSRs, monitor, I/O controller, clock, random sources). */
  readonly stateBytes: number;
  /** Non-zero RAM of the guest when the transfer started, in bytes. */
  readonly nonZeroRamBytes: number;
  /** The guest's pause at the final boundary, in epochs: the final round's bytes over the link's bytes per epoch. */
  readonly pauseEpochs: number;
  /**
   * The same pause as the guest's clock saw it, in virtual ns: the primary's time jumped by this much at the
   * final boundary, with no instruction run (0 until the final round).
   */
  readonly pauseNs: number;
  /** Epochs from the loss to protection again (joinEpoch - lostAtEpoch). */
  readonly epochsToProtection: number | undefined;
}
