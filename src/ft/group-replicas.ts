/** A group's first replicas: the primary and K backups, each backup with its own channel behind the primary's fan-out. */
import { DEFAULTS } from '../base/defaults.js';
import type { ProgramImage } from '../../isa/image.js';
import { FanOutChannel } from '../channel/fanout.js';
import { FifoChannel } from '../channel/fifo.js';
import type { PrimaryToBackup } from '../channel/protocol.js';
import type { World } from '../hw/world.js';
import { Monitor } from '../vmm/monitor.js';
import type { MonitorConfig } from '../vmm/config.js';
import { initialMonitorState } from '../vmm/state.js';
import type { GroupOptions, Replica } from './group-types.js';
import { FIRST_INCARNATION } from './arbiter.js';
import { freshComputer } from './seeded.js';

export function firstReplicas(
  image: ProgramImage,
  opts: GroupOptions,
  config: MonitorConfig,
  world: World,
  k: number,
): { fanOut: FanOutChannel<PrimaryToBackup>; replicas: Replica[] } {
  const capacity = opts.channelCapacity ?? DEFAULTS.channelCapacity;
  // The names of a pair's two computers first, so that a group with K = 1 draws exactly a pair's seeds.
  const names = ['primary', ...Array.from({ length: k }, (_, i) => (i === 0 ? 'backup' : `backup${i + 1}`))];
  const inputs = names.map(() => new FifoChannel<PrimaryToBackup>(capacity));
  const fanOut = new FanOutChannel(inputs.slice(1));
  const replicas = names.map((name, id): Replica => {
    const c = freshComputer(image, opts, world, name);
    if (id === 0) c.devices.state.incarnation = FIRST_INCARNATION; // as a pair's primary
    const role = id === 0 ? 'primary' : 'backup';
    const m = new Monitor(c, config, initialMonitorState(role), id === 0 ? { out: fanOut } : { in: inputs[id] }, opts.policies);
    return { id, name, monitor: m, input: inputs[id]!, alive: true };
  });
  return { fanOut, replicas };
}
