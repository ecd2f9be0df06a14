/**
 * Processor_Type as policies. The monitor's protocol code (epoch.ts) is the same for both replicas; what
 * differs between the primary and the backup is one `RolePolicy`, chosen by the role and replaced at a
 * takeover. The policies reach the monitor's state through a `RoleContext`, which only the monitor makes.
 */
import type { Computer } from '../hw/computer.js';
import type { IoOp } from '../hw/types.js';
import type { Channel } from '../channel/channel.js';
import type { EpochEndReason, PrimaryToBackup, StateDigest } from '../channel/protocol.js';
import type { PageHashes } from './digest.js';
import type { MonitorConfig } from './config.js';
import type { EventKind, MonitorState, Role } from './state.js';
import type { TakeoverPolicy } from './failover.js';

/** Why a call to `runEpoch` returned. */
export type StepResult =
  | 'epoch' // an epoch ended; the next one has not started
  | 'blocked' // primary: the channel is full; run the backup, then call again
  | 'waiting' // backup: the epoch-end message for the current epoch has not arrived
  | 'halted' // the guest executed `halt`
  | 'fault' // the guest took a trap with no handler
  | 'stopped' // the computer fail-stopped (see Monitor.stop): it does nothing more
  | 'budget' // the instruction limit was reached
  | 'diverged'; // backup: its state differs from the primary's at the same boundary

/** The monitor's side of a role: its state and the protocol actions a role may take. */
export interface RoleContext {
  readonly computer: Computer;
  readonly config: MonitorConfig;
  readonly state: MonitorState;
  /** Backup: where the primary's messages come from. */
  readonly input: Channel<PrimaryToBackup> | undefined;
  /** Primary: whether a backup listens (false when alone, or once the backup has failed). */
  readonly hasPeer: boolean;
  /** True once the computer has fail-stopped. */
  readonly stopped: boolean;
  /** Digest checking: this computer's page hashes, and the peer's as mirrored from its epoch-end messages. */
  readonly pages: PageHashes | undefined;
  readonly peerPages: Uint32Array | undefined;
  /** Queues a message for the backup; it leaves when the channel has room. */
  send(m: PrimaryToBackup): void;
  /** Moves queued messages into the channel; false when some must still wait. */
  flushOutbox(): boolean;
  /** Counts an externally visible action and tells the observers (`detail` is called only when one of them has onEvent). */
  event(kind: EventKind, detail: string | (() => string)): void;
  /** Tells the observers of an operation handed to a real device. */
  ioStarted(op: IoOp): void;
  /** Backup: tells the observers of a message taken from the channel. */
  received?(m: PrimaryToBackup): void;
}

/** What one role does at the points where the primary and the backup differ. */
export interface RolePolicy {
  readonly name: Role;
  /** Whether this role's devices perform the I/O the guest issues (a backup's `io` is a no-op: it needs no WRITE data). */
  readonly performsIo: boolean;
  /** Before an epoch runs: a result to return instead (the backup waits for its epoch-end message). */
  ready(): StepResult | undefined;
  /** At each boundary inside an epoch: take what the hardware raised. */
  boundary(): StepResult | undefined;
  /** Instructions until the next hardware event this role must see (Infinity for none). */
  untilEvent(): number;
  /** A nondeterministic CSR read. */
  nondet(csr: number): number;
  /** An I/O operation the guest's controller accepted. */
  io(op: IoOp): void;
  /** `wfi`: the epoch ends here; the primary first lets virtual time pass to its next hardware event. */
  idle(): void;
  /** With digests on: whether this replica takes its epoch's digest (MonitorConfig.skipDigestsAlone). */
  takesDigests(): boolean;
  /** At an epoch's end, before delivery: a result when this replica disagrees with the primary. */
  check(reason: EpochEndReason, instret: number, digest: StateDigest | undefined): StepResult | undefined;
  /** At an epoch's end, after delivery: tell the backup. */
  announce(reason: EpochEndReason, instret: number, digest: StateDigest | undefined): void;
}

export type RoleFactory = (ctx: RoleContext) => RolePolicy;

/** The policies a monitor runs with. The defaults are the patent's; tests and the fuzzer supply flawed ones. */
export interface MonitorPolicies {
  readonly primary?: RoleFactory;
  readonly backup?: RoleFactory;
  readonly takeover?: TakeoverPolicy;
}
