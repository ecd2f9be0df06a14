/**
 * A pair's snapshots, both ways: its monitors built at reset or restored as a snapshot has them, and the copy of
 * a whole pair between turns (restoring it and running on gives the same run, bit for bit).
 */
import type { ProgramImage } from '../../isa/image.js';
import type { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import { Computer } from '../hw/computer.js';
import type { World } from '../hw/world.js';
import type { MonitorConfig } from '../vmm/config.js';
import { Monitor, type MonitorChannels } from '../vmm/monitor.js';
import { initialMonitorState } from '../vmm/state.js';
import type { Arbiter } from './arbiter.js';
import type { FaultMonitor } from './fault-monitor.js';
import type { FailoverFlags } from './pair-failover.js';
import type { PairOptions, PairSnapshot, SideSnapshot } from './pair-types.js';
import type { Partition } from './partition.js';
import { freshComputer, type ScheduleState } from './seeded.js';

/** One of a pair's two monitors: as `snap` has it, or at reset with `image` loaded. */
export function pairMonitor(
  name: 'primary' | 'backup',
  image: ProgramImage | undefined,
  opts: PairOptions,
  config: MonitorConfig,
  world: World,
  channels: MonitorChannels,
  snap: PairSnapshot | undefined,
): Monitor {
  const computer = (): Computer => {
    if (snap) return Computer.restore(snap[name].computer, world);
    if (!image) throw new Error('Pair: an image or a snapshot is needed');
    return freshComputer(image, opts, world, name);
  };
  return new Monitor(
    computer(),
    config,
    snap ? structuredClone(snap[name].monitor) : initialMonitorState(name),
    channels,
    opts.policies,
    snap?.[name].extras,
  );
}

/** What of a pair its snapshot copies (the pair itself, without importing it), besides its schedule and its failures' flags. */
export interface SnapshotSource {
  readonly primary: Monitor;
  readonly backup: Monitor;
  readonly channel: FifoChannel<PrimaryToBackup>;
  readonly world: World;
  readonly faults: FaultMonitor;
  readonly arbiter: Arbiter;
  readonly partition: Partition | undefined;
}

/** A copy of the whole pair now (between turns). */
export function pairSnapshot(s: SnapshotSource, schedule: ScheduleState, f: FailoverFlags): PairSnapshot {
  const side = (m: Monitor, peer?: SideSnapshot): SideSnapshot => ({
    computer: m.computer.snapshot(peer?.computer.ram),
    monitor: m.stateCopy(),
    extras: m.extras(),
  });
  const primary = side(s.primary);
  return {
    primary,
    backup: side(s.backup, primary), // RAM pages equal to the primary's are shared
    channel: s.channel.clone(),
    world: s.world.snapshot(),
    faults: s.faults.state(),
    scheduler: schedule.scheduler,
    faultModel: schedule.faultModel,
    flags: structuredClone({
      primaryAlive: f.primaryAlive,
      backupAlive: f.backupAlive,
      failedAt: f.failedAt,
      takeover: f.takeover,
      pendingReissue: f.pendingReissue,
      idleTurns: schedule.idleTurns,
      failure: f.failure,
      started: f.started,
      arbiter: s.arbiter.state(),
      partition: s.partition?.state(),
    }),
  };
}
