/**
 * The arbiter (spec 9): an atomic test-and-set beside the shared devices, like a lock on the shared disk.
 * A computer that believes its peer failed (a takeover, or a primary going on alone) asks it first. The
 * test: is the incarnation still the one the asker knows? If so the asker wins, gets the next incarnation,
 * and the devices refuse every older one from now on (the world's incarnation is raised); if not, someone
 * else won since, and the asker must stop itself. Without fencing (the `no-fencing` flaw) the winner is
 * numbered but the devices are not told, so a deposed computer's requests are still performed. Every answer is
 * also logged in the world (`World.grant`), between the effects it orders.
 */
import type { World } from '../hw/world.js';

export type ArbiterSide = 'primary' | 'backup';

/** One question to the arbiter and its answer. */
export interface ArbiterDecision {
  /** The asking computer, named as the world's log names it (`primary`, `backup`, a group's `backup2`, ...). */
  readonly asker: string;
  /** The incarnation the asker held (and expected the arbiter to hold). */
  readonly expected: number;
  readonly won: boolean;
  /** The arbiter's incarnation after the question: the asker's new one if it won, the winner's if it lost. */
  readonly incarnation: number;
  /** Effects the world had recorded when the arbiter answered: every later effect is judged by the answer. */
  readonly worldEffects: number;
  /** What the asker was doing: a takeover (backup) or going on alone (primary). */
  readonly why: 'takeover' | 'go-on-alone';
}

export interface ArbiterState {
  readonly incarnation: number;
  readonly holder: string;
  readonly decisions: readonly ArbiterDecision[];
}

/** The first incarnation: the primary's, from the start of a run. */
export const FIRST_INCARNATION = 1;

export class Arbiter {
  private incarnationNow: number;
  private holderNow: string;
  private readonly log: ArbiterDecision[];

  constructor(
    private readonly world: World,
    /** False: the devices are never told of a new incarnation (the `no-fencing` flaw). */
    private readonly fencing = true,
    restored?: ArbiterState,
  ) {
    this.incarnationNow = restored?.incarnation ?? FIRST_INCARNATION;
    this.holderNow = restored?.holder ?? 'primary';
    this.log = restored ? restored.decisions.slice() : [];
  }

  get incarnation(): number {
    return this.incarnationNow;
  }

  get holder(): string {
    return this.holderNow;
  }

  get decisions(): readonly ArbiterDecision[] {
    return this.log;
  }

  /** The atomic test-and-set: `asker`, which holds `expected`, wins the next incarnation if no one has taken it since. */
  testAndSet(asker: string, expected: number, why: ArbiterDecision['why']): ArbiterDecision {
    const won = expected === this.incarnationNow;
    if (won) {
      this.incarnationNow++;
      this.holderNow = asker;
      if (this.fencing) this.world.incarnation = this.incarnationNow;
    }
    const d: ArbiterDecision = { asker, expected, won, incarnation: this.incarnationNow, worldEffects: this.world.effects.length, why };
    this.log.push(d);
    // Logged with or without fencing: the oracles judge the effects by the answers, whatever the devices were told.
    this.world.grant(asker, { expected, won, incarnation: d.incarnation, why });
    return d;
  }

  state(): ArbiterState {
    return { incarnation: this.incarnationNow, holder: this.holderNow, decisions: this.log.slice() };
  }
}
