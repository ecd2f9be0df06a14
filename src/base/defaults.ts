/**
 * Every default of the machine and its commands, declared once. The monitors, the pair, the fuzzer and
 * every command's `--help` text read them from here, so that a default is changed in one place.
 */
export const DEFAULTS = Object.freeze({
  /** Seed from which every seeded source of a run derives its own. */
  seed: 1,
  /** Instructions per epoch: the value the monitor loads into the recovery register. */
  epochLength: 4096,
  /** Largest delay D, in instructions, of the hardware's deferred-trap delivery (spec 3). */
  trapDelayMax: 16,
  /** Messages the channel holds before the primary must wait. */
  channelCapacity: 1024,
  /** Probability that the backup gets a turn after each primary epoch (1: it follows one epoch behind). */
  backupPace: 1,
  /** Guest RAM in MiB. */
  ramMiB: 16,
  /** Instruction budget of a run, per computer (13x the longest bundled program): a guest that never halts stops here
   *  within seconds, with a clear message. */
  maxInstructions: 50_000_000,
  /** Memory ceiling of each fuzz worker thread, in MiB: the V8 heap limit it is started with (worker_threads
   *  resourceLimits.maxOldGenerationSizeMb). A case that exhausts it ends that worker, is reported as a
   *  `resource` verdict with its replay line, and the worker's remaining cases go on in a fresh one.
   *  Guest-sized byte buffers (RAM, console, disk) live outside the heap and are bounded by page sharing instead. */
  fuzzWorkerHeapMiB: 1024,
  /** Console output a world keeps, in MiB: a guest that writes more ends its run with a RESOURCE error (exit 71;
   *  in a fuzz sweep, a `resource` verdict). A WRITE costs a few instructions, so the instruction budget alone does not bound it. */
  consoleMaxMiB: 256,
  /** A partition (spec 9): epochs without a heartbeat after which the slower side's fault monitor suspects the other. */
  heartbeatEpochs: 2,
});
