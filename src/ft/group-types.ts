/** The shapes a replica group is made from and reports: its options, its replicas, its failures and its result. */
import type { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import type { Monitor } from '../vmm/monitor.js';
import type { World } from '../hw/world.js';
import type { FailureStep } from './failure-sequence.js';
import type { FailedAt } from './takeover.js';
import type { FailureRecord, PairOptions, PairResult, TakeoverSummary } from './pair-types.js';
import type { RebackupReport } from './rebackup-types.js';

export interface GroupOptions extends Omit<PairOptions, 'failAt' | 'failBackupAt'> {
  /** K, the number of backups the group starts with (default 1). */
  readonly backups?: number;
  /** The failures, in order (see failure-sequence.ts). */
  readonly failures?: readonly FailureStep[];
  /** Epochs after a replica is lost before a new backup starts joining by state transfer; undefined: never. */
  readonly rebackupAfter?: number;
  /** Bytes a state transfer moves per epoch of the guest (the link's bandwidth in the epoch's units). */
  readonly transferBytesPerEpoch?: number;
}

/** One computer of the group, under its monitor. */
export interface Replica {
  /** Join order: 0 the first primary, 1..K the first backups, then each rebackup. */
  readonly id: number;
  readonly name: string;
  readonly monitor: Monitor;
  /** Where it receives the primary's messages (unused while it is the primary). */
  readonly input: FifoChannel<PrimaryToBackup>;
  alive: boolean;
  /** Where it stood when the last primary failed (its takeover's cost is measured from here). */
  failedAt?: FailedAt;
}

/** A failure that happened, with the replica's name and rank at that moment. */
export interface GroupFailure extends Omit<FailureRecord, 'side'> {
  /** joining: the replica a rebackup was bringing in, failed during its transfer (its figures are the primary's). */
  readonly side: 'primary' | 'backup' | 'joining';
  readonly name: string;
  /** Its rank (a joining replica: the rank it would have had). */
  readonly rank: number;
  /** Live backups besides it when it failed (a primary's failure with none is the end of the group). */
  readonly backupsAlive: number;
  /** The failure list's element that caused it. */
  readonly step: string;
}

export interface ReplicaReport {
  readonly name: string;
  /** Rank at the end (0: the primary); undefined for a failed replica. */
  readonly rank: number | undefined;
  readonly alive: boolean;
  readonly role: 'primary' | 'backup';
  readonly instructions: number;
  readonly epoch: number;
  /** stateFingerprint of its processor and RAM now. */
  readonly digest: string;
}

export interface GroupResult extends PairResult {
  readonly backupsAtStart: number;
  /** Live backups at the end. */
  readonly backups: number;
  /** True when the primary ended with no live backup. */
  readonly unprotected: boolean;
  /** Epochs run with no live backup, over the whole run. */
  readonly unprotectedEpochs: number;
  readonly replicas: readonly ReplicaReport[];
  readonly failures: readonly GroupFailure[];
  readonly takeovers: readonly TakeoverSummary[];
  readonly rebackups: readonly RebackupReport[];
  /** Elements of the failure list that did not happen, with why. */
  readonly notInjected: readonly string[];
}

/** What the rebackup schedule reads of a group and does to it (the group itself, without importing it). */
export interface GroupCore {
  readonly world: World;
  readonly backupsAtStart: number;
  readonly replicas: readonly Replica[];
  /** The live replicas by rank: [0] is the primary. */
  readonly members: readonly Replica[];
  readonly primary: Replica;
  /** The group's externally visible actions so far. */
  readonly events: number;
  readonly marks: { readonly takeovers: number[]; readonly transferStarts: number[]; readonly joins: number[] };
  adopt(r: Replica): void;
  addToFanOut(r: Replica): void;
}

/** What a group's result reads. */
export interface GroupSource extends GroupCore {
  readonly serving: Monitor;
  readonly failures: readonly GroupFailure[];
  readonly takeovers: readonly TakeoverSummary[];
  readonly unprotectedEpochs: number;
  readonly notInjected: readonly string[];
  readonly rebackups: { reports(): RebackupReport[] };
  unreached(): string[];
}
