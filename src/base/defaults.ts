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
  /** Exit budget of a command's run, per computer: the times the processor may stop for a trap or a sensitive
   *  instruction (I/O, a clock read, wfi...), 80x the most any bundled program takes (mix: 12,428). An exit costs the
   *  host about 20x an instruction, so a guest that traps or issues I/O at every instruction stops here within seconds.
   *  It grows in proportion when `--max-instructions` is raised above its default (base/exit-budget.ts). */
  maxExits: 1_000_000,
  /** Memory ceiling of each fuzz worker thread, in MiB: the V8 heap limit it is started with (worker_threads
   *  resourceLimits.maxOldGenerationSizeMb). A case that exhausts it ends that worker, is reported as a
   *  `resource` verdict with its replay line, and the worker's remaining cases go on in a fresh one.
   *  Guest-sized byte buffers (RAM, console, disk) live outside the heap and are bounded by page sharing instead. */
  fuzzWorkerHeapMiB: 1024,
  /** Cases the fuzzer's shrinker runs at most on a campaign's earliest failing case (src/fuzz/shrink.ts). */
  fuzzShrinkRuns: 200,
  /** Console output a world keeps, in MiB: a guest that writes more ends its run with a RESOURCE error (exit 71;
   *  in a fuzz sweep, a `resource` verdict). A WRITE costs a few instructions, so the instruction budget alone does not bound it. */
  consoleMaxMiB: 256,
  /** `--gdb`: the spacing of the reverse-execution history's snapshots, in instructions: a continue takes one at a
   *  multiple of it once it has run five times as long as the last snapshot took (a pair's costs tens of ms). */
  gdbSnapshotEvery: 100_000,
  /** `--gdb`: snapshots the history keeps; past it, every other one is dropped and the spacing doubles. */
  gdbSnapshotsKept: 512,
  /** Events a `--trace` file holds in full (about 90 bytes each, 140 at most: under 10 MB): past them, epochs are merged into windows and
   *  I/O operations, messages and minor instants are counted instead of drawn (the failure and takeover always are). */
  traceMaxEvents: 70_000,
  /** Epochs merged into one slice of a track once a trace is past `traceMaxEvents`. */
  traceEpochWindow: 256,
  /** Port of `shadowvm step --web` (on 127.0.0.1; 0 picks a free one). */
  stepWebPort: 8417,
  /** Bytes a rebackup's state transfer moves per epoch (the link's bandwidth counted in the guest's epochs). */
  transferBytesPerEpoch: 256 * 1024,
  /** Pre-copy rounds of a state transfer before its final round goes whatever is left. */
  transferMaxRounds: 30,
  /** A partition (spec 9): epochs without a heartbeat after which the slower side's fault monitor suspects the other. */
  heartbeatEpochs: 2,
  /** A random campaign (`fuzz --runs N`) draws a partition case instead of a fail-stop for 1 run in this many. */
  campaignPartitionOneIn: 4,
});
