/**
 * A random campaign's partition cases (spec 9): each run draws, 1 in DEFAULTS.campaignPartitionOneIn, a partition
 * instead of a fail-stop. The draw has its own seed (the campaign seed and the run number), apart from the run's
 * configuration stream, so the report can count the partitions without running anything, and the fail-stop runs are
 * the cases they were before partitions were drawn.
 */
import { DEFAULTS } from '../base/defaults.js';
import { Random } from '../base/random.js';
import { deriveSeed } from '../base/seeds.js';
import type { ArbiterSide } from '../ft/arbiter.js';

/** A drawn partition: the side that loses the arbiter, and the stream that draws its point once the run's length is known. */
export interface CampaignPartition {
  readonly loser: ArbiterSide;
  readonly rng: Random;
}

export function campaignPartition(seed: number, item: number): CampaignPartition | undefined {
  const rng = new Random(deriveSeed(seed, `partition:${item}`));
  if (rng.below(DEFAULTS.campaignPartitionOneIn) !== 0) return undefined;
  return { loser: rng.below(2) === 0 ? 'primary' : 'backup', rng };
}

/** How many of a campaign's runs `items` are partition cases. */
export function countCampaignPartitions(seed: number, items: readonly number[]): number {
  let n = 0;
  for (const i of items) if (campaignPartition(seed, i)) n++;
  return n;
}
