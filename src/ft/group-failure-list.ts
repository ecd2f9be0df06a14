/**
 * A group's failure list (failure-sequence.ts), armed one element at a time: whether the armed element's point
 * has come, on the group's own timeline. The group decides what failing the named replica means.
 */
import { formatFailureStep, type FailureStep } from './failure-sequence.js';

/** Where the group stands, as the list's points read it. */
export interface GroupClock {
  /** The group's externally visible actions so far. */
  readonly events: number;
  /** The last epoch a primary ended. */
  readonly epochsEnded: number;
  /** The serving replica's retired instructions: the guest's count, the same on every replica. */
  readonly instret: number;
  /** False while there is no running primary (it failed and no backup has taken over yet). */
  readonly ready: boolean;
}

export class FailureList {
  private next = 0;

  constructor(
    private readonly steps: readonly FailureStep[],
    private readonly at: () => GroupClock,
    /** Fails the replica an element names. */
    private readonly fire: (s: FailureStep) => void,
  ) {}

  get armed(): FailureStep | undefined {
    return this.steps[this.next];
  }

  /** The element that fired last: the one a failure being recorded now answers to. */
  get last(): FailureStep | undefined {
    return this.steps[this.next - 1];
  }

  /** The primary's instruction limit for its next run, so that it stops at an armed instruction count. */
  limit(limit: number): number {
    const s = this.armed;
    return s?.point.kind === 'instruction' ? Math.min(limit, Math.max(s.point.n, this.at().instret)) : limit;
  }

  /**
   * Fires the armed element when its point has come (at every action and epoch end of the primary); the next one
   * is then armed. `afterRun` is the check right after the primary's run, which only an instruction count can
   * reach, whatever the primary's state.
   */
  check(afterRun: boolean): void {
    const s = this.armed;
    if (!s) return;
    const at = this.at();
    const p = s.point;
    const reached = afterRun
      ? p.kind === 'instruction' && at.instret >= p.n
      : at.ready && (p.kind === 'event' ? at.events >= p.n : p.kind === 'epoch' ? at.epochsEnded >= p.n : at.instret >= p.n);
    if (!reached) return;
    this.next++;
    this.fire(s);
  }

  /** Elements never reached. */
  unreached(): string[] {
    return this.steps.slice(this.next).map((s) => `${formatFailureStep(s)}: not reached`);
  }
}
