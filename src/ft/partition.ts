/**
 * A partition (spec 9): at a point of the primary's run the channel is cut in both directions while both
 * computers go on. The primary's messages from then on are lost (`CuttableLink`), and no heartbeat comes
 * back. Each side's fault monitor suspects the other, and each asks the arbiter (arbiter.ts) before acting:
 * the backup before taking over, the primary before going on alone. The loser stops itself.
 *
 * Who asks first is the heartbeat timing, and a case names it by its loser (`--fail-side`, default primary):
 *  - the primary loses: the backup suspects as soon as it has received everything sent before the cut, and
 *    the primary only after DEFAULTS.heartbeatEpochs more epochs without a heartbeat. Until then it runs on,
 *    deposed without knowing it: the devices refuse its requests (older incarnation), and the first refusal
 *    tells it to stop. That is the split brain that fencing exists for;
 *  - the backup loses: the primary suspects at the first epoch end after the cut and wins; the backup, which
 *    suspects later, asks, loses and stops. The primary carries on alone.
 * A partition point is any failure point of the primary's run: `partition@N` cuts between two instructions, once N
 * have retired (the pair bounds the primary's run there, as the injector does for a fail-stop), `partition@event:N`
 * and `partition@epoch:N` right after that action.
 */
import { DEFAULTS } from '../base/defaults.js';
import type { Channel } from '../channel/channel.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import type { Monitor } from '../vmm/monitor.js';
import type { FailurePoint } from './failure-point.js';
import { FIRST_INCARNATION, type Arbiter, type ArbiterDecision, type ArbiterSide } from './arbiter.js';

/** Where a partition happens and which side loses the race to the arbiter. */
export interface PartitionSpec {
  readonly at: FailurePoint;
  readonly loser: ArbiterSide;
}

export interface PartitionState {
  /** The primary's epoch when the channel was cut (undefined: not yet). */
  readonly cutInEpoch: number | undefined;
  readonly primaryAsked: boolean;
  readonly backupAsked: boolean;
}

/** The primary's end of the channel, which a partition cuts: after the cut, sends succeed and are lost. */
export class CuttableLink implements Channel<PrimaryToBackup> {
  cut = false;
  /** Messages lost in the partition. */
  lost = 0;

  constructor(private readonly inner: Channel<PrimaryToBackup>) {}

  get size(): number {
    return this.inner.size;
  }

  get full(): boolean {
    return !this.cut && this.inner.full;
  }

  trySend(message: PrimaryToBackup): boolean {
    if (!this.cut) return this.inner.trySend(message);
    this.lost++;
    return true;
  }

  peek(): PrimaryToBackup | undefined {
    return this.inner.peek();
  }

  receive(): PrimaryToBackup | undefined {
    return this.inner.receive();
  }
}

export class Partition {
  private cutInEpoch: number | undefined;
  private primaryAsked: boolean;
  private backupAsked: boolean;

  constructor(
    readonly spec: PartitionSpec,
    private readonly link: CuttableLink,
    private readonly primary: Monitor,
    private readonly arbiter: Arbiter,
    restored?: PartitionState,
  ) {
    this.cutInEpoch = restored?.cutInEpoch;
    this.primaryAsked = restored?.primaryAsked ?? false;
    this.backupAsked = restored?.backupAsked ?? false;
    link.cut = this.cutInEpoch !== undefined;
    const p = spec.at;
    if (p.kind === 'event') {
      if (primary.state.events >= p.n) this.cutNow();
      primary.observe({ onEvent: () => void (primary.state.events >= p.n && this.cutNow()) });
    } else if (p.kind === 'epoch') {
      primary.observe({ onSent: (m) => void (m.kind === 'epoch-end' && m.epoch === p.n && this.cutNow()) });
    } else if (primary.computer.cpu.state.instret >= p.n) {
      this.cutNow();
    }
    // A deposed primary stops itself at its first refused request (it learns of it as that request completes).
    primary.observe({
      onEvent: (kind) => void (kind === 'completion-received' && primary.computer.devices.state.deposed && primary.stop()),
    });
  }

  private cutNow(): void {
    if (this.cutInEpoch !== undefined) return;
    this.cutInEpoch = this.primary.state.epoch;
    this.link.cut = true;
  }

  /** An instruction-count point not reached yet: the primary's run must stop there, so the cut falls between two instructions. */
  instructionCap(): number | undefined {
    const p = this.spec.at;
    return p.kind === 'instruction' && this.cutInEpoch === undefined ? p.n : undefined;
  }

  /** After a run of the primary: cuts the channel if its instruction-count point has come. */
  afterPrimaryRun(): void {
    const p = this.spec.at;
    if (p.kind === 'instruction' && this.primary.computer.cpu.state.instret >= p.n) this.cutNow();
  }

  get isCut(): boolean {
    return this.cutInEpoch !== undefined;
  }

  state(): PartitionState {
    return { cutInEpoch: this.cutInEpoch, primaryAsked: this.primaryAsked, backupAsked: this.backupAsked };
  }

  /**
   * After one of the primary's epochs: whether its fault monitor suspects the backup now (no heartbeat since
   * the cut for long enough), in which case it asks the arbiter to go on alone. Returns the answer, if it asked.
   */
  primaryTurn(): ArbiterDecision | undefined {
    if (this.cutInEpoch === undefined || this.primaryAsked) return undefined;
    const timeout = this.spec.loser === 'primary' ? DEFAULTS.heartbeatEpochs : 0;
    if (this.primary.state.epoch <= this.cutInEpoch + timeout) return undefined;
    this.primaryAsked = true;
    return this.arbiter.testAndSet('primary', this.primary.computer.devices.state.incarnation, 'go-on-alone');
  }

  /**
   * The backup, waiting for a message with nothing left in the channel: whether its fault monitor suspects the
   * primary now, in which case it asks the arbiter before taking over. Returns the answer, if it asked.
   */
  backupTurn(backup: Monitor, channelEmpty: boolean): ArbiterDecision | undefined {
    if (this.cutInEpoch === undefined || this.backupAsked || !channelEmpty) return undefined;
    if (this.spec.loser === 'backup' && !this.primaryAsked) return undefined; // its timeout is the longer one
    this.backupAsked = true;
    // The backup expects the incarnation of the primary it was started beside: it never heard of a newer one.
    const known = Math.max(FIRST_INCARNATION, backup.computer.devices.state.incarnation);
    return this.arbiter.testAndSet('backup', known, 'takeover');
  }
}
