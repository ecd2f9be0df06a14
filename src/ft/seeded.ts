/**
 * What a pair and a replica group draw alike from their one seed, so that a group with K = 1 is exactly a pair:
 * each computer's seed (by its name), and the schedule's two streams: the scheduler, which decides when the
 * backups get a turn, and the fault model, which decides Rule 3. With them, the schedule's other knobs: the
 * instruction limit, the backups' pace, and the stop of a run in which nothing can move any more.
 */
import { DEFAULTS } from '../base/defaults.js';
import { Random } from '../base/random.js';
import { deriveSeed } from '../base/seeds.js';
import type { ProgramImage } from '../../isa/image.js';
import { Computer } from '../hw/computer.js';
import type { IoOp } from '../hw/types.js';
import type { World } from '../hw/world.js';
import type { StepResult } from '../vmm/monitor.js';
import type { PairOptions } from './pair-types.js';

/** A computer at reset with `image` loaded, seeded from the run's seed and its name (`primary`, `backup`, `backup2`, ...). */
export function freshComputer(
  image: ProgramImage,
  opts: Pick<PairOptions, 'seed' | 'ramMiB' | 'trapDelayMax'>,
  world: World,
  name: string,
): Computer {
  const seed = opts.seed ?? DEFAULTS.seed;
  const c = new Computer({ seed: deriveSeed(seed, name), ramMiB: opts.ramMiB, trapDelayMax: opts.trapDelayMax, world, name });
  c.load(image);
  return c;
}

/** A schedule as plain data (a pair's snapshot carries it). */
export interface ScheduleState {
  readonly scheduler: Uint32Array;
  readonly faultModel: Uint32Array;
  readonly idleTurns: number;
}

export class Schedule {
  /** Instruction limit per computer (a hang becomes a clean `budget` stop). */
  readonly limit: number;
  private readonly scheduler: Random;
  private readonly faultModel: Random;
  private readonly pace: number;
  private idleTurns: number;

  /** A new schedule from the options' seed, or, given `restored`, the one it was. */
  constructor(opts: Pick<PairOptions, 'seed' | 'maxInstructions' | 'backupPace'>, restored?: ScheduleState) {
    const seed = opts.seed ?? DEFAULTS.seed;
    this.scheduler = new Random(restored ? restored.scheduler.slice() : deriveSeed(seed, 'scheduler'));
    this.faultModel = new Random(restored ? restored.faultModel.slice() : deriveSeed(seed, 'fault-model'));
    this.limit = opts.maxInstructions ?? DEFAULTS.maxInstructions;
    this.pace = opts.backupPace ?? DEFAULTS.backupPace;
    this.idleTurns = restored?.idleTurns ?? 0;
  }

  state(): ScheduleState {
    return { scheduler: this.scheduler.state.slice(), faultModel: this.faultModel.state.slice(), idleTurns: this.idleTurns };
  }

  /**
   * After the primary's run ended as `r`: whether the backups get a turn now. Always when the run ended other than
   * at an epoch's end; after an epoch, a draw of the scheduler at the pace (none when the pace is 1).
   */
  backupsRun(r: StepResult): boolean {
    return r !== 'epoch' || this.pace >= 1 || this.scheduler.nextU32() / 2 ** 32 < this.pace;
  }

  /** At a turn's end: whether any computer `moved`. Neither can move for more than 8 turns (e.g. a backup waiting for a primary that will send nothing more): stop cleanly. */
  idle(moved: boolean): 'budget' | undefined {
    this.idleTurns = moved ? 0 : this.idleTurns + 1;
    return this.idleTurns > 8 ? 'budget' : undefined;
  }

  /** Rule 3's decision for an operation a failed computer's devices had in flight: `override`, or a draw of the fault model. */
  performs(override: ((op: IoOp) => boolean) | undefined): (op: IoOp) => boolean {
    return override ?? (() => this.faultModel.nextU32() % 2 === 0);
  }
}
