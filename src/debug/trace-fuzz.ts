/** `fuzz --fail-at POINT --trace FILE`: the one case run again from reset, in this thread, with the trace attached. */
import { Pair } from '../ft/pair.js';
import type { ProgramImage } from '../../isa/image.js';
import { pairOptionsOf, type CaseEnvironment, type FuzzCase } from '../fuzz/case.js';
import { freshWorld } from '../fuzz/reference.js';
import type { TraceRecorder } from './trace-recorder.js';
import { tracePair } from './trace-pair.js';

/** Runs `c` from reset (the fuzzer's determinism check holds this equal to its run from a snapshot) and records it. */
export function traceFuzzCase(image: ProgramImage, c: FuzzCase, env: CaseEnvironment, limit?: number): TraceRecorder {
  const pair = new Pair(image, { ...pairOptionsOf(c, env), world: freshWorld(env) });
  const trace = tracePair(pair, limit);
  pair.run();
  const rec = trace.finish();
  pair.dispose();
  return rec;
}
