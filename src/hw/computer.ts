/**
 * One computer: a processor, its I/O controller (guest-visible, deterministic), its real devices, clock and
 * timer, all randomness forked from one seed (trap delays, device latencies, clock jitter, the seed CSR,
 * the timer's phase). It runs nothing by itself: bare mode (bare.ts) or a monitor drives it, asking it for
 * the next hardware event, the interrupts due now and its own nondeterministic values.
 */
import { CSR_BY_NAME, DEFAULT_RAM_MIB } from '../../isa/csrs.js';
import type { ProgramImage } from '../../isa/image.js';
import { Cpu } from '../cpu/cpu.js';
import type { CpuState } from '../cpu/types.js';
import { ShadowError } from '../base/errors.js';
import { Clock, createClockState, type ClockState } from './clock.js';
import { createDevicesState, Devices, type DevicesState } from './devices.js';
import { createIoState, IoController, type IoState } from './io.js';
import { Random } from '../base/random.js';
import { packRam, storedPages, unpackRam, type RamImage } from './ram-image.js';
import { releaseRam } from '../base/ram-pool.js';
import { cloneSharingBytes } from './share.js';
import { createTimerState, Timer, type TimerState } from './timer.js';
import type { HwInterrupt, WorldPort } from './types.js';

export const DEFAULT_TRAP_DELAY_MAX = 16;

export interface ComputerOptions {
  readonly seed: number;
  readonly ramMiB?: number;
  readonly trapDelayMax?: number;
  readonly world: WorldPort;
  /** How the world's effect log names this computer (default 'computer'). */
  readonly name?: string;
}

/** Everything a computer is, as plain data (structuredClone-able). The world is not part of it. */
export interface ComputerSnapshot {
  readonly name: string;
  readonly seed: number;
  /** The processor without its RAM, which is in `ram`. */
  readonly cpu: Omit<CpuState, 'ram'>;
  /** RAM's non-zero pages (shared with earlier snapshots where unchanged: never modify them). */
  readonly ram: RamImage;
  readonly io: IoState;
  readonly devices: DevicesState;
  readonly clock: ClockState;
  readonly timer: TimerState;
  /** xorshift128 state of the seed CSR's entropy stream. */
  readonly entropy: Uint32Array;
}

const NOTHING_DUE: readonly HwInterrupt[] = Object.freeze([]);

const csrNumber = (name: string): number => CSR_BY_NAME.get(name)!.number;
const LOW = new Set(['time', 'cycle', 'mcycle'].map(csrNumber));
const HIGH = new Set(['timeh', 'cycleh', 'mcycleh'].map(csrNumber));
const SEED = csrNumber('seed');
/** Zkr `seed` status ES16: 16 bits of entropy are valid. */
const SEED_ES16 = 0x80000000;

/** What bare mode hands the guest at once (a monitor reports its own deliveries through `Monitor.observe`). */
export interface BareObserver {
  /** Deferred traps entered the guest, at a boundary where it could take them. */
  onDeferred?(v1: number, v2: number): void;
  /** A `drain` ran. */
  onDrain?(): void;
}

export class Computer {
  readonly name: string;
  readonly seed: number;
  readonly cpu: Cpu;
  readonly io: IoController;
  readonly devices: Devices;
  /** Told of bare mode's trap deliveries and drains (a trace); bare.ts calls it. */
  bareObserver: BareObserver | undefined;
  readonly clock: Clock;
  readonly timer: Timer;
  private entropy: Random;
  /** The RAM image of this computer's last snapshot (or of the one it was restored from): unchanged pages are shared with it. */
  private lastImage: RamImage | undefined;

  constructor(opts: ComputerOptions) {
    const ramMiB = opts.ramMiB ?? DEFAULT_RAM_MIB;
    if (!Number.isSafeInteger(ramMiB) || ramMiB < 1 || ramMiB > 2048) {
      throw new ShadowError('CONFIG', `RAM must be from 1 to 2048 MiB, got ${ramMiB}`);
    }
    this.name = opts.name ?? 'computer';
    this.seed = opts.seed;
    const root = new Random(opts.seed);
    this.cpu = Cpu.create({
      ramBytes: ramMiB * 1024 * 1024,
      trapDelayMax: opts.trapDelayMax ?? DEFAULT_TRAP_DELAY_MAX,
      trapSeed: root.forkState('trap-delays'),
    });
    this.io = new IoController(createIoState());
    this.devices = new Devices(createDevicesState(root.forkState('device-latencies')), opts.world, this.name);
    this.clock = new Clock(createClockState(root.forkState('clock-jitter')), () => this.cpu.state.instret);
    this.timer = new Timer(createTimerState(root.forkState('timer-phase')));
    this.entropy = new Random(root.forkState('seed-csr'));
  }

  /** Loads a program and resets the machine (processor, I/O controller, devices in flight, timer); time goes on. */
  load(image: ProgramImage): void {
    this.cpu.load(image);
    this.clock.now();
    this.io.state = createIoState();
    this.devices.state.inFlight = [];
    this.timer.state.periodUs = 0;
    this.timer.state.next = Infinity;
  }

  /** Virtual time now, in ns. */
  now(): number {
    return this.clock.now();
  }

  /** The earliest pending device completion or timer tick (Infinity when none). */
  nextEventTime(): number {
    this.timer.sync(this.cpu.state.csr.xtimer, this.now());
    return Math.min(this.devices.nextEventTime(), this.timer.nextEventTime());
  }

  /** Instructions the processor executes before the clock reaches `t`. */
  budgetUntil(t: number): number {
    return this.clock.budgetUntil(t);
  }

  /** Device completions (performed on the world now) and the timer tick due at `now`, in that order. */
  collectDue(): readonly HwInterrupt[] {
    const now = this.now();
    this.timer.sync(this.cpu.state.csr.xtimer, now);
    if (this.devices.nextEventTime() > now && this.timer.nextEventTime() > now) return NOTHING_DUE;
    const io: HwInterrupt[] = this.devices.due(now);
    const due = io.concat(this.timer.due(now));
    if (due.length > 0) this.io.observer?.onCompleted?.(due);
    return due;
  }

  /** This computer's own value for a nondeterministic CSR read. */
  nondet(csr: number): number {
    if (csr === SEED) return (SEED_ES16 | (this.entropy.nextU32() & 0xffff)) >>> 0;
    const t = this.clock.read();
    if (LOW.has(csr)) return t >>> 0;
    if (HIGH.has(csr)) return Math.floor(t / 4294967296) >>> 0;
    throw new Error(`computer: CSR 0x${csr.toString(16)} is not nondeterministic`);
  }

  /** Hands the RAM buffer back for reuse; the computer must not run again. */
  dispose(): void {
    releaseRam(this.cpu.state.ram, this.cpu.writtenPages());
  }

  /**
   * Everything this computer is, copied, except what never changes once made: RAM pages equal to those of
   * this computer's previous snapshot, or of `peer` (the other replica's image, usually), are shared,
   * and so are the byte buffers of I/O operations (share.ts).
   */
  snapshot(peer?: RamImage): ComputerSnapshot {
    const image = packRam(this.cpu.state.ram, [this.lastImage, peer]);
    this.lastImage = image;
    return { ...this.stateWithoutRam(), ram: image };
  }

  /** Everything this computer is but its RAM, copied (a state transfer sends RAM separately, page by page). */
  stateWithoutRam(): Omit<ComputerSnapshot, 'ram'> {
    const { ram: _ram, ...cpu } = this.cpu.state;
    return {
      ...structuredClone({
        name: this.name,
        seed: this.seed,
        cpu,
        clock: this.clock.state,
        timer: this.timer.state,
        entropy: this.entropy.state,
      }),
      io: cloneSharingBytes(this.io.state),
      devices: cloneSharingBytes(this.devices.state),
    };
  }

  /** A computer in exactly the state of `snap` (copied), acting on `world`. */
  static restore(snap: ComputerSnapshot, world: WorldPort): Computer {
    const { ram, io, devices, ...rest } = snap;
    const s = structuredClone(rest);
    const c = new Computer({ seed: s.seed, ramMiB: 1, world, name: s.name });
    releaseRam(c.cpu.state.ram, c.cpu.writtenPages()); // the placeholder processor's RAM: the restored one gets its own
    const cpu = new Cpu({ ...s.cpu, ram: unpackRam(ram) });
    cpu.trackWritten(storedPages(ram)); // unpackRam wrote these pages of a zeroed buffer, and no other
    Object.assign(c, { cpu, entropy: new Random(s.entropy) });
    c.lastImage = ram;
    c.io.state = cloneSharingBytes(io);
    c.devices.state = cloneSharingBytes(devices);
    c.clock.state = s.clock;
    c.timer.state = s.timer;
    return c;
  }
}
