/**
 * How a monitor hands the guest what it buffered: interrupts (into the completion ring or `mip`) and
 * deferred traps (when the guest can take them; otherwise they stay in the monitor's V1 and V2).
 */
import type { Computer } from '../hw/computer.js';
import type { HwInterrupt } from '../hw/types.js';
import { MIP } from '../../isa/csrs.js';
import type { MonitorState } from './state.js';

export function deliverInterrupt(computer: Computer, s: MonitorState, intr: HwInterrupt): void {
  const cpu = computer.cpu;
  if (intr.class === 'io') computer.io.deliver(cpu, intr);
  else cpu.state.csr.mip |= MIP.MTIP;
  s.counters.interruptsDelivered++;
}

/** Gives the guest a set of deferred traps if it can take them now; otherwise they stay in the monitor's vectors. */
export function deliverTrapsNow(computer: Computer, s: MonitorState, v1: number, v2: number, fromMonitor: boolean): void {
  if (v1 === 0 && v2 === 0) return;
  const cpu = computer.cpu;
  if (!cpu.canTakeDeferred()) {
    s.v1 |= v1;
    s.v2 |= v2;
    return;
  }
  if (fromMonitor) {
    s.v1 = 0;
    s.v2 = 0;
  }
  const fault = cpu.deliverDeferred(v1, v2);
  s.counters.trapsDelivered++;
  if (fault) s.fault = fault;
}

/** Forced delivery points B and C: a context switch to the monitor flushes the hardware's buffered traps to it. */
export function flushHardwareTraps(computer: Computer, s: MonitorState): void {
  const t = computer.cpu.takeHardwareTraps();
  s.v1 |= t.v1;
  s.v2 |= t.v2;
}

/** After the guest's interrupt state changed at a monitor point: retry waiting records, take a pending interrupt. */
export function afterGuestChange(computer: Computer, s: MonitorState): void {
  const cpu = computer.cpu;
  computer.io.retry(cpu);
  const r = cpu.takePendingInterrupt();
  if (r !== undefined && typeof r === 'object') s.fault = r;
}

/** Delivers the epoch's buffered interrupts, then its buffered traps, then lets the guest take what it can. */
export function deliverBuffered(computer: Computer, s: MonitorState): void {
  const list = s.interrupts;
  if (list.length > 0) {
    s.interrupts = [];
    for (const intr of list) deliverInterrupt(computer, s, intr);
  }
  deliverTrapsNow(computer, s, s.v1, s.v2, true);
  afterGuestChange(computer, s);
}
