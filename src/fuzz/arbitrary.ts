/**
 * fast-check arbitraries for failure points, so that a property test over failovers shrinks to the
 * earliest failing point: event counts shrink towards 0, the first externally visible action.
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

/** `event:0` .. `event:K`: one failure point per class of equivalent points, shrinking to the earliest. */
export function failurePointArb(distinctPoints: number): fc.Arbitrary<FailurePoint> {
  return fc.integer({ min: 0, max: Math.max(0, distinctPoints - 1) }).map((n): FailurePoint => ({ kind: 'event', n }));
}
