/** The result of a pair's run as it stands: exit code, final state, console output and what happened on the way. */
import type { World } from '../hw/world.js';
import { viewSlice } from '../hw/paged-bytes.js';
import type { Monitor } from '../vmm/monitor.js';
import type { FaultMonitor } from './fault-monitor.js';
import type { PairResult, PairStop, TakeoverSummary } from './pair-types.js';

/** What of a pair the result reads (the pair itself, without importing it). */
export interface ResultSource {
  readonly serving: Monitor;
  readonly primary: Monitor;
  readonly backup: Monitor;
  readonly world: World;
  readonly faults: FaultMonitor;
  readonly takeover: TakeoverSummary | undefined;
}

/** The fields of a run's result that the computer serving the world gives: a pair's and a replica group's alike. */
export function servingResult(m: Monitor, world: World, stop: PairStop) {
  const st = m.computer.cpu.state;
  const fault = m.state.fault;
  const view = world.consoleView();
  let text: string | undefined;
  return {
    stop,
    exitCode: m.state.halted?.code ?? -1,
    instructions: st.instret,
    pc: st.pc >>> 0,
    regs: Array.from(st.regs),
    // Decoded when first read, from the output as it is now (copy-on-write): a fuzz case that compares digests never pays for it.
    // (Callers add their fields with Object.assign onto this object, which keeps the getter; a spread would call it.)
    get console(): string {
      return (text ??= new TextDecoder().decode(viewSlice(view.bytes)));
    },
    epochs: m.state.counters.epochs,
    fault: fault ? `pc 0x${(fault.pc >>> 0).toString(16)} cause ${fault.cause}` : undefined,
  };
}

/** The result of `pair`'s run as it stands, reported as `stop`. */
export function pairResult(pair: ResultSource, stop: PairStop): PairResult {
  const divergence = pair.primary.state.divergence ?? pair.backup.state.divergence;
  return Object.assign(servingResult(pair.serving, pair.world, stop), {
    messages: pair.primary.state.counters.messagesSent,
    diverged: divergence !== undefined,
    divergence,
    failedOver: pair.takeover !== undefined,
    failedSide: pair.faults.failed,
    takeover: pair.takeover,
  });
}
