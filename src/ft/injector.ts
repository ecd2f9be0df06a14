/**
 * Failure injection: stops a computer at a failure point, between two of its actions. The monitor does
 * not know of it: the injector watches the monitor's externally visible actions (`observe`) and calls
 * its `stop()`, and it bounds the monitor's runs (`limit`) for points counted in instructions.
 *
 *  - `N` (instruction): the computer stops when N instructions have retired, between two instructions;
 *  - `event:N`: right after its Nth externally visible action (`event:0`: before the first);
 *  - `epoch:N`: right after it sent the epoch-end message of epoch N.
 */
import type { Monitor } from '../vmm/monitor.js';
import type { FailurePoint } from './failure-point.js';

export class FailureInjector {
  constructor(
    private readonly monitor: Monitor,
    private readonly point: FailurePoint | undefined,
  ) {
    const p = point;
    if (p?.kind === 'event') {
      // A monitor restored from a snapshot taken at or after its failure point stops at once.
      if (monitor.state.events >= p.n) monitor.stop();
      monitor.observe({ onEvent: () => void (monitor.state.events >= p.n && monitor.stop()) });
    } else if (p?.kind === 'epoch') {
      monitor.observe({ onSent: (m) => void (m.kind === 'epoch-end' && m.epoch === p.n && monitor.stop()) });
    }
  }

  /** The instret limit for the monitor's next run, given the run's own limit. */
  limit(limit: number): number {
    return this.point?.kind === 'instruction' ? Math.min(limit, this.point.n) : limit;
  }

  /** Whether the computer has reached its failure point: stopped, or out of instructions at an instruction point. */
  reached(): boolean {
    const p = this.point;
    if (p?.kind === 'instruction' && this.monitor.computer.cpu.state.instret >= p.n) this.monitor.stop();
    return this.monitor.stopped;
  }
}
