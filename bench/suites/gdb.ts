/**
 * The gdb stub's `stepi` round trip over a real loopback socket: a `vCont;s:1` packet out, the stop reply
 * back, on the hash guest, for `run --gdb` (a bare computer) and `pair --gdb` (the primary of a pair).
 * Target: under 5 ms. Baseline, in the same run and connection: the round trip of `qC`, a packet that
 * does no work, so the ratio is what executing one instruction (one pair turn) adds to the protocol's cost.
 *
 * Also the speed of a `continue` under gdb (the history's slices, on the interpreter with breakpoint checks),
 * against a plain `pair` run of the same guest.
 */
import { Pair } from '../../src/ft/pair.js';
import { loadProgram } from '../../src/asm/load.js';
import { bundledProgram } from '../../src/base/paths.js';
import { Computer } from '../../src/hw/computer.js';
import { World } from '../../src/hw/world.js';
import { History } from '../../src/debug/gdb-history.js';
import type { DebugMachine } from '../../src/debug/gdb-machine.js';
import { BareDebugMachine } from '../../src/debug/gdb-bare.js';
import { PairDebugMachine } from '../../src/debug/gdb-pair.js';
import { GdbSession } from '../../src/debug/gdb-session.js';
import { monitorCommands } from '../../src/debug/gdb-monitor.js';
import { serveGdb } from '../../src/debug/gdb-server.js';
import { GdbClient } from '../../src/debug/gdb-client.js';
import { DEFAULTS } from '../../src/base/defaults.js';
import type { BenchResult, BenchSuite } from '../types.js';
import type { ProgramImage } from '../../isa/image.js';

interface Timing {
  readonly mean: number;
  readonly rme: number;
  readonly n: number;
}

async function time(client: GdbClient, packet: string, n: number): Promise<Timing> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await client.request(packet);
    ms.push(performance.now() - t);
  }
  const mean = ms.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(ms.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  return { mean, rme: ((1.96 * sd) / Math.sqrt(n) / mean) * 100, n };
}

async function roundTrips<S>(name: string, machine: DebugMachine<S>, pair: boolean, n: number): Promise<BenchResult> {
  const history = new History(machine, DEFAULTS.gdbSnapshotEvery, DEFAULTS.gdbSnapshotsKept);
  const session = new GdbSession(history, monitorCommands(history, pair));
  let port = 0;
  const listening = new Promise<void>((resolve) => {
    void serveGdb(session, { port: 0, onListening: (p) => ((port = p), resolve()), log: () => {} });
  });
  await listening;
  const client = await GdbClient.open(port);
  await time(client, 'vCont;s:1', 200); // warm up
  const base = await time(client, 'qC', n);
  const step = await time(client, 'vCont;s:1', n);
  client.raw('$k#6b');
  client.close();
  return {
    suite: 'gdb',
    name: `stepi round trip, ${name} (hash.elf)`,
    figure: step.mean,
    unit: 'ms',
    baseline: base.mean,
    ratio: step.mean / base.mean,
    samples: step.n,
    rme: step.rme,
  };
}

/**
 * A `continue` to the end under the debugger (History.run in the session's slices, with one breakpoint that is
 * never reached, so the processor runs on the interpreter with its checks), against `Pair.run` of the same guest,
 * interleaved, best of `reps` each.
 */
function continueSpeed(image: ProgramImage, quick: boolean): BenchResult {
  const reps = quick ? 2 : 5;
  let debug = Infinity;
  let plain = Infinity;
  let n = 0;
  for (let i = 0; i < reps; i++) {
    const history = new History(
      new PairDebugMachine(new Pair(image, {}), {}, 'primary', image),
      DEFAULTS.gdbSnapshotEvery,
      DEFAULTS.gdbSnapshotsKept,
    );
    let t = performance.now();
    while (history.run(500_000, new Set([0x10])) === 'goal');
    debug = Math.min(debug, performance.now() - t);
    n = history.position;
    const pair = new Pair(image, {});
    t = performance.now();
    pair.run();
    plain = Math.min(plain, performance.now() - t);
  }
  return {
    suite: 'gdb',
    name: 'continue under gdb, pair (hash.elf)',
    figure: n / (debug / 1000),
    unit: 'instr/s',
    baseline: n / (plain / 1000),
    ratio: plain / debug,
    samples: reps,
    rme: 0,
  };
}

export const suite: BenchSuite = {
  name: 'gdb',
  async run({ quick }) {
    const image = loadProgram(bundledProgram('programs/build/hash.elf'));
    const n = quick ? 500 : 3000;
    const world = new World();
    const computer = new Computer({ seed: 1, world, name: 'computer' });
    computer.load(image);
    const bare = await roundTrips('run --gdb', new BareDebugMachine(computer, world, DEFAULTS.maxInstructions), false, n);
    const pair = await roundTrips('pair --gdb', new PairDebugMachine(new Pair(image, {}), {}, 'primary', image), true, n);
    return [bare, pair, continueSpeed(image, quick)];
  },
};
