/**
 * `npm run torture`: the standing adversarial campaign (issue 17). Mutated ELF files, flat binaries and
 * assembly, hostile and generated guests, random flags on every command, run through `main` on worker
 * threads with a watchdog and a heap ceiling, a sample again through bin/shadowvm.js. Prints the seed
 * first, then the counts by class; exits 1 when any input crashed the host or ran past its bounds (each
 * saved under --replay-dir with a one-line replay command).
 *
 *   npm run torture [-- --count N] [-- --seed S] [-- --workers N] [-- --only I,J] [-- --json]
 *                   [-- --process-every N] [-- --timeout SEC] [-- --heap MiB] [-- --replay-dir DIR]
 *                   [-- --no-probes | --only-probes] [-- --probe-timeout SEC]
 *
 * The bounds probes (src/torture/probes.ts) run the hostile guests of issue 17 at the default budgets.
 */
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { runCampaign } from '../src/torture/campaign.js';
import { campaignSummary } from '../src/torture/summary.js';

function fail(message: string): never {
  process.stderr.write(`torture: ${message}\n`);
  process.exit(64);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      count: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'boolean' },
      'process-every': { type: 'string' },
      timeout: { type: 'string' },
      heap: { type: 'string' },
      'replay-dir': { type: 'string' },
      'no-probes': { type: 'boolean' },
      'only-probes': { type: 'boolean' },
      'probe-timeout': { type: 'string' },
    },
  }));
} catch (err) {
  fail((err as Error).message);
}
const int = (name: string, text: string | undefined, fallback: number, min: number, max: number): number => {
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) fail(`--${name}: expected an integer from ${min} to ${max}, got '${text}'`);
  return n;
};
const seed = int('seed', values.seed, (Date.now() % 0x100000000) >>> 0, 0, 0xffffffff);
const only = values['only-probes'] ? [] : values.only?.split(',').map((t) => int('only', t.trim(), 0, 0, Number.MAX_SAFE_INTEGER));
// The probes run on a full campaign and on --only-probes; a replay of chosen inputs (--only) skips them.
const probeTimeoutMs =
  values['no-probes'] || (values.only && !values['only-probes'])
    ? undefined
    : 1000 * int('probe-timeout', values['probe-timeout'], 120, 1, 3600);
const options = {
  seed,
  count: int('count', values.count, 100_000, 1, 100_000_000),
  only,
  workers: int('workers', values.workers, availableParallelism(), 0, 64),
  timeoutMs: 1000 * int('timeout', values.timeout, 30, 1, 3600),
  heapMb: int('heap', values.heap, 1024, 64, 65536),
  processEvery: int('process-every', values['process-every'], 200, 0, 100_000_000),
  replayDir: values['replay-dir'] ?? 'torture-replay',
  probeTimeoutMs,
};
const what = values['only-probes'] ? 'the bounds probes only' : only ? `inputs ${only.join(',')}` : `${options.count} inputs`;
process.stderr.write(`torture: seed ${seed}, ${what}, ${options.workers || 'no'} worker threads\n`);
let last = performance.now();
const started = last;
const report = await runCampaign({
  ...options,
  onProgress: (done, failures) => {
    const now = performance.now();
    if (now - last < 10_000) return;
    last = now;
    process.stderr.write(`torture: ${done} inputs, ${(done / ((now - started) / 1000)).toFixed(0)}/s, ${failures} failing\n`);
  },
});
process.stdout.write(values.json ? JSON.stringify(report) + '\n' : campaignSummary(report));
process.exit(report.failures.length ? 1 : 0);
