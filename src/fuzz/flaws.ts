/**
 * Deliberately broken monitor policies, for proving that the fuzzer's oracles and the lockstep property
 * bite. Each flaw is an alternative to one of the patent's policies (vmm/roles.ts, vmm/failover.ts);
 * `flawsOf` (case.ts) maps the `--flaw` names to them. Never used in production.
 */
import type { HwInterrupt } from '../hw/types.js';
import type { MonitorPolicies } from '../vmm/monitor.js';
import { PrimaryRole } from '../vmm/primary.js';
import { PATENT_TAKEOVER, type TakeoverPolicy } from '../vmm/failover.js';

/** A primary that delivers each interrupt the moment its hardware raises it, mid-epoch (it still sends the copy). */
export class MidEpochPrimary extends PrimaryRole {
  protected override take(intr: HwInterrupt): void {
    this.deliverNow(intr);
  }
}

/** Failover keeps the failed epoch's I/O completions buffered (delivered at the end of epoch X+1) instead of deleting them. */
export const keepCompletions: Partial<TakeoverPolicy> = { keepCompletion: () => true };

/** Failover synthesises no DISCONNECTED interrupts. */
export const noDisconnect: Partial<TakeoverPolicy> = { disconnect: () => [] };

/** The policies of a monitor with the given flaws (none: the patent's). */
export function flawedPolicies(flaws: {
  readonly keepCompletions?: boolean;
  readonly noDisconnect?: boolean;
  readonly midEpochDelivery?: boolean;
}): MonitorPolicies {
  const takeover: TakeoverPolicy = {
    ...PATENT_TAKEOVER,
    ...(flaws.keepCompletions ? keepCompletions : {}),
    ...(flaws.noDisconnect ? noDisconnect : {}),
  };
  return {
    takeover,
    ...(flaws.midEpochDelivery ? { primary: (ctx) => new MidEpochPrimary(ctx) } : {}),
  };
}
