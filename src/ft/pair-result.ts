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

/** The result of `pair`'s run as it stands, reported as `stop`. */
export function pairResult(pair: ResultSource, stop: PairStop): PairResult {
  const m = pair.serving;
  const st = m.computer.cpu.state;
  const divergence = pair.primary.state.divergence ?? pair.backup.state.divergence;
  const fault = m.state.fault;
  const view = pair.world.consoleView();
  let text: string | undefined;
  return {
    stop,
    exitCode: m.state.halted?.code ?? -1,
    instructions: st.instret,
    pc: st.pc >>> 0,
    regs: Array.from(st.regs),
    // Decoded when first read, from the output as it is now (copy-on-write): a fuzz case that compares digests never pays for it.
    get console(): string {
      return (text ??= new TextDecoder().decode(viewSlice(view.bytes)));
    },
    epochs: m.state.counters.epochs,
    messages: pair.primary.state.counters.messagesSent,
    diverged: divergence !== undefined,
    divergence,
    failedOver: pair.takeover !== undefined,
    failedSide: pair.faults.failed,
    takeover: pair.takeover,
    fault: fault ? `pc 0x${(fault.pc >>> 0).toString(16)} cause ${fault.cause}` : undefined,
  };
}
