/** The result of a replica group's run as it stands: the pair's fields, and the group's own (replicas, failures, rebackups). */
import { stateFingerprint } from '../vmm/digest.js';
import type { PairStop } from './pair-types.js';
import { servingResult } from './pair-result.js';
import type { GroupResult, GroupSource, Replica, ReplicaReport } from './group-types.js';

/** The run is over when the serving replica has stopped and every live backup has caught up with it. */
export function groupFinished(replicas: readonly Replica[], members: readonly Replica[], primaryDown: boolean): PairStop | undefined {
  if (replicas.some((r) => r.monitor.state.divergence)) return 'diverged';
  const [P, ...backups] = members;
  if (!P) return 'fault';
  if (primaryDown || !P.monitor.done) return undefined;
  if (backups.some((b) => !b.monitor.done)) return undefined;
  for (const b of backups) {
    if (P.monitor.state.halted?.code !== b.monitor.state.halted?.code) {
      b.monitor.markDiverged(`exit code: primary ${P.monitor.state.halted?.code}, ${b.name} ${b.monitor.state.halted?.code}`);
      return 'diverged';
    }
  }
  return P.monitor.state.halted ? 'halt' : 'fault';
}

export function groupResult(g: GroupSource, stop: PairStop): GroupResult {
  const divergent = g.replicas.find((r) => r.monitor.state.divergence);
  const replicas: ReplicaReport[] = g.replicas.map((r) => {
    const cpu = r.monitor.computer.cpu;
    return {
      name: r.name,
      rank: r.alive ? g.members.indexOf(r) : undefined,
      alive: r.alive,
      role: r.monitor.role,
      instructions: cpu.state.instret,
      epoch: r.monitor.state.epoch,
      digest: stateFingerprint(cpu.state, cpu.writtenPages()),
    };
  });
  const last = g.takeovers[g.takeovers.length - 1];
  return Object.assign(servingResult(g.serving, g.world, stop), {
    messages: g.replicas.reduce((n, r) => n + r.monitor.state.counters.messagesSent, 0),
    diverged: divergent !== undefined,
    divergence: divergent?.monitor.state.divergence,
    failedOver: last !== undefined,
    failedSide: g.failures[0]?.side === 'joining' ? undefined : g.failures[0]?.side,
    takeover: last,
    backupsAtStart: g.backupsAtStart,
    backups: Math.max(0, g.members.length - 1),
    unprotected: g.members.length <= 1,
    unprotectedEpochs: g.unprotectedEpochs,
    replicas,
    failures: g.failures,
    takeovers: g.takeovers,
    rebackups: g.rebackups.reports(),
    notInjected: [...g.notInjected, ...g.unreached()],
  });
}
