/**
 * The shapes a pair is made from and reports: its options, the record of a failure and a takeover, its
 * snapshot and its result. Plain data, apart from the policies and the Rule 3 decision.
 */
import type { ComputerSnapshot } from '../hw/computer.js';
import type { IoOp } from '../hw/types.js';
import type { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import type { MonitorExtras, MonitorPolicies } from '../vmm/monitor.js';
import type { MonitorConfig } from '../vmm/config.js';
import type { MonitorState } from '../vmm/state.js';
import type { TakeoverReport } from '../vmm/failover.js';
import type { World } from '../hw/world.js';
import type { WorldSnapshot } from '../hw/world-types.js';
import type { FailurePoint } from './failure-point.js';
import type { PartitionSpec, PartitionState } from './partition.js';
import type { ArbiterState } from './arbiter.js';

export interface PairOptions {
  /** One seed from which both computers, the scheduler and the fault model derive theirs. */
  readonly seed?: number;
  readonly monitor?: Partial<MonitorConfig>;
  readonly ramMiB?: number;
  /** Largest delay D of the hardware's deferred traps. */
  readonly trapDelayMax?: number;
  /** Messages the channel holds before the primary must wait. */
  readonly channelCapacity?: number;
  /** Probability, after each primary epoch, that the backup gets a turn (1 = it follows one epoch behind). */
  readonly backupPace?: number;
  /** Instruction limit per computer (a hang becomes a clean `budget` stop). */
  readonly maxInstructions?: number;
  /** Exit limit per computer (hw/engine.ts ExitBudget: traps and sensitive instructions); none when undefined. */
  readonly maxExits?: number;
  /** Where the primary fail-stops. */
  readonly failAt?: FailurePoint;
  /** Where the backup fail-stops instead (the primary then carries on alone). */
  readonly failBackupAt?: FailurePoint;
  /** Rule 3: whether an operation outstanding at the failed computer's devices was performed. Default: seeded. */
  readonly performOutstanding?: (op: IoOp) => boolean;
  readonly world?: World;
  /** A partition instead of a failure (spec 9): where the channel is cut, and which side loses the arbiter. */
  readonly partition?: PartitionSpec;
  /** False: the arbiter does not tell the devices of a new incarnation (the `no-fencing` flaw). Default true. */
  readonly fencing?: boolean;
  /** The monitors' policies; the defaults are the patent's (tests and the fuzzer supply flawed ones). */
  readonly policies?: MonitorPolicies;
}

export interface TakeoverSummary extends TakeoverReport {
  /** Instructions the backup executed between the primary's failure and its takeover (catching up). */
  readonly instructions: number;
  /** Virtual nanoseconds on the backup's clock over the same span. */
  readonly virtualTime: number;
  /** Operations the new primary issued again that were outstanding at the takeover. */
  reissued: number;
  /** Effects the world had recorded when the backup took over (all earlier ones are the old primary's). */
  readonly worldEffectsBefore: number;
  /** Operations the old primary started whose COMPLETED record the new primary's guest never received:
   *  the only ones the world may see twice. */
  readonly unknownOutcome: readonly OpRef[];
  /** Operation ids below this one were issued by the guest in an epoch the backup executed before taking over. */
  readonly issuedBeforeTakeover?: number;
}

/** An I/O operation without its data, for reports. */
export interface OpRef {
  readonly opId: number;
  readonly device: number;
  readonly op: number;
  readonly offset: number;
  readonly len: number;
}

export const refOf = (o: IoOp): OpRef => ({ opId: o.opId, device: o.device, op: o.op, offset: o.offset, len: o.len });

/** What a failed computer left behind, for the oracles. */
export interface FailureRecord {
  readonly side: 'primary' | 'backup';
  readonly instret: number;
  readonly events: number;
  readonly epoch: number;
  /** Operations the failed computer's guest had issued without a delivered COMPLETED record. */
  readonly outstanding: readonly IoOp[];
  /** Operations in flight at its devices, to which Rule 3 applies (performed or not). */
  readonly inFlight: number;
  /** Their operation ids (the fuzzer's window coverage). */
  readonly inFlightOpIds?: readonly number[];
  /** Those of them that Rule 3 performed (the others were not). */
  readonly performedOpIds?: readonly number[];
}

/** A debugger's bound on one turn of a pair: the instret each computer may reach (none: no bound). */
export interface TurnCaps {
  readonly primary?: number;
  readonly backup?: number;
}

export type PairStop = 'halt' | 'fault' | 'budget' | 'diverged';

export interface SideSnapshot {
  readonly computer: ComputerSnapshot;
  readonly monitor: MonitorState;
  readonly extras: MonitorExtras;
}

/** Everything a pair is, copied: restoring it and running on gives the same run, bit for bit. */
export interface PairSnapshot {
  readonly primary: SideSnapshot;
  readonly backup: SideSnapshot;
  readonly channel: FifoChannel<PrimaryToBackup>;
  readonly world: WorldSnapshot;
  readonly faults: { failed: 'primary' | 'backup' | undefined; notified: boolean };
  readonly scheduler: Uint32Array;
  readonly faultModel: Uint32Array;
  readonly flags: {
    primaryAlive: boolean;
    backupAlive: boolean;
    failedAt: { backupInstret: number; backupNow: number } | undefined;
    takeover: TakeoverSummary | undefined;
    pendingReissue: IoOp[];
    idleTurns: number;
    failure: FailureRecord | undefined;
    started: OpRef[];
    arbiter?: ArbiterState;
    partition?: PartitionState;
  };
}

export interface PairResult {
  readonly stop: PairStop;
  readonly exitCode: number;
  /** Instructions retired by the computer that finished the run. */
  readonly instructions: number;
  readonly pc: number;
  readonly regs: number[];
  readonly console: string;
  readonly epochs: number;
  readonly messages: number;
  readonly diverged: boolean;
  readonly divergence?: { readonly epoch: number; readonly where: string };
  readonly failedOver: boolean;
  readonly failedSide?: 'primary' | 'backup';
  readonly takeover?: TakeoverSummary;
  readonly fault?: string;
}
