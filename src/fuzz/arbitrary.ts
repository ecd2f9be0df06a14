/**
 * fast-check arbitraries for failure points, so that a property test over failovers shrinks to the
 * EARLIEST failing point. Failing points are not monotone (a guest may survive point 20 and not 13), so
 * fast-check's integer shrinking, which bisects towards 0, can stop at a later failing point (for failing
 * points 13, 14, 23 and 24 it stopped at 23). Here a point shrinks to every earlier point, earliest first:
 * the first that fails is the earliest failing point below it, and from there nothing earlier fails.
 */
import fc from 'fast-check';
import type { FailurePoint } from '../ft/failure-point.js';
import { Pair, type PairOptions } from '../ft/pair.js';
import type { ProgramImage } from '../../isa/image.js';

/** The number of distinct failure points of `image` under `opts` (the primary's actions in a failure-free run, plus one). */
export function distinctFailurePoints(image: ProgramImage, opts: PairOptions = {}): number {
  const pair = new Pair(image, { ...opts, failAt: undefined, failBackupAt: undefined });
  pair.run();
  return pair.primary.state.events + 1;
}

/** The context of a shrunk point: every point before it passed. */
const EARLIEST = Symbol('earliest');

/** Integers in 0..max, generated like `fc.integer`, each shrinking to 0, 1, ..., itself - 1 in that order. */
class EarliestFirst extends fc.Arbitrary<number> {
  private readonly inner: fc.Arbitrary<number>;

  constructor(private readonly max: number) {
    super();
    this.inner = fc.integer({ min: 0, max });
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<number> {
    return new fc.Value(this.inner.generate(mrng, biasFactor).value, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= this.max;
  }

  /**
   * Every earlier point, earliest first. fast-check moves to the first candidate that fails, so every
   * point below that one has passed: its context (EARLIEST) says there is nothing left to try.
   */
  shrink(value: number, context: unknown): fc.Stream<fc.Value<number>> {
    if (context === EARLIEST) return fc.Stream.nil();
    function* earlier(): Generator<fc.Value<number>> {
      for (let n = 0; n < value; n++) yield new fc.Value(n, EARLIEST);
    }
    return new fc.Stream(earlier());
  }
}

/** Failure point numbers 0..distinctPoints-1, shrinking to the earliest that fails. */
export function earliestPointArb(distinctPoints: number): fc.Arbitrary<number> {
  return new EarliestFirst(Math.max(0, distinctPoints - 1));
}

/** `event:0` .. `event:K`: one failure point per class of equivalent points, shrinking to the earliest that fails. */
export function failurePointArb(distinctPoints: number): fc.Arbitrary<FailurePoint> {
  return earliestPointArb(distinctPoints).map(
    (n): FailurePoint => ({ kind: 'event', n }),
    (p): number => {
      const point = p as FailurePoint;
      if (point?.kind !== 'event') throw new Error('failurePointArb: not an event point');
      return point.n;
    },
  );
}
