import { describe, expect, it } from 'vitest';
import { Pair } from '../../src/ft/pair.js';
import { parseFailurePoint } from '../../src/ft/failure-point.js';
import { tracePair } from '../../src/debug/trace-pair.js';
import { traceFile } from '../../src/debug/trace-write.js';
import type { TraceEvent, TraceFile } from '../../src/debug/trace-format.js';
import { program } from '../programs.js';
import { traceProblems } from './trace-check.js';

function traced(name: string, opts: ConstructorParameters<typeof Pair>[1] = {}, limit?: number): TraceFile {
  const pair = new Pair(program(name), opts);
  const t = tracePair(pair, limit);
  pair.run();
  // Through JSON, as a viewer reads it.
  return JSON.parse(JSON.stringify(traceFile(t.finish(), 'pair', name))) as TraceFile;
}

const named = (f: TraceFile, ph: string, tid?: number): TraceEvent[] =>
  f.traceEvents.filter((e) => e.ph === ph && (tid === undefined || e.tid === tid));

describe('the trace of a pair', () => {
  it('draws a failover: epochs on both replicas, I/O operations, message flows, and steps 306-320 in order', () => {
    const f = traced('counter.elf', { failAt: parseFailurePoint('event:40') });
    expect(traceProblems(f)).toEqual([]);
    expect(named(f, 'M').map((e) => e.args!.name ?? e.args!.sort_index)).toEqual([
      'shadowvm pair',
      'primary',
      0,
      'backup',
      1,
      'channel',
      2,
    ]);
    expect(named(f, 'B', 1)[0]!.name).toBe('epoch 1');
    expect(named(f, 'B', 2).length).toBeGreaterThan(10);
    // Every message goes from the primary's track to the backup's.
    expect(named(f, 's').every((e) => e.tid === 1)).toBe(true);
    expect(named(f, 'f').every((e) => e.tid === 2)).toBe(true);
    expect(named(f, 's').length).toBeGreaterThan(10);
    expect(named(f, 'b').some((e) => e.name.startsWith('WRITE disk #'))).toBe(true);
    expect(named(f, 'n').length).toBeGreaterThan(0);
    const steps = named(f, 'i').map((e) => e.name.split(' ')[0]);
    expect(steps.filter((s) => /^3\d\d$/.test(s!))).toEqual(['306', '308', '312', '314', '318', '320']);
    expect(named(f, 'i').find((e) => e.name === 'primary fail-stops')).toMatchObject({ tid: 1, s: 'g', args: { epoch: 15 } });
    expect(f.otherData).toMatchObject({ sampled: false, mergedEpochs: 0, dropped: {} });
  });

  it('marks drains and the deferred traps they deliver', () => {
    const f = traced('traps.s', { monitor: { epochLength: 64 } });
    expect(traceProblems(f)).toEqual([]);
    const names = named(f, 'i').map((e) => e.name);
    expect(names.filter((n) => n === 'drain').length).toBe(12);
    expect(names).toContain('deferred traps delivered (drain)');
  });

  it('past its limit merges epochs into windows and counts the rest, and stays valid', () => {
    const f = traced('counter.elf', { failAt: parseFailurePoint('event:40') }, 150);
    expect(traceProblems(f)).toEqual([]);
    expect(f.otherData.sampled).toBe(true);
    expect(f.otherData.mergedEpochs).toBeGreaterThan(0);
    expect(f.otherData.dropped.io).toBeGreaterThan(0);
    expect(f.otherData.dropped.message).toBeGreaterThan(0);
    expect(named(f, 'B').some((e) => e.name.startsWith('epochs from '))).toBe(true);
    // The failure and the takeover are always drawn.
    expect(named(f, 'i').filter((e) => /^3\d\d /.test(e.name)).length).toBe(6);
    expect(f.traceEvents.length).toBeLessThan(260);
  });
});

describe('traceProblems', () => {
  it('finds unmatched slices, unpaired flows, time going back and bad fields', () => {
    const e = (x: Partial<TraceEvent>): TraceEvent => ({ name: 'x', ph: 'i', s: 't', ts: 0, pid: 1, tid: 1, ...x });
    const bad: TraceFile = {
      displayTimeUnit: 'ns',
      otherData: {
        generator: 'shadowvm',
        program: 'p',
        command: 'pair',
        clock: 'c',
        limit: 1,
        events: 6,
        sampled: false,
        epochWindow: 1,
        mergedEpochs: 0,
        dropped: {},
      },
      traceEvents: [
        e({ ph: 'B', name: 'epoch 1', ts: 5 }),
        e({ ph: 's', cat: 'message', id: 7, ts: 5 }),
        e({ ph: 'E', name: 'epoch 2', ts: 4 }),
        e({ ph: 'b', cat: 'io', id: 3, ts: 6 }),
        e({ ph: 'i', s: undefined, ts: 6, tid: 2 }),
        e({ ph: 'C', ts: 7, args: { n: 'x' } }),
      ],
    };
    expect(traceProblems(bad)).toEqual([
      'event 2: ts 4 goes back on track 1',
      "event 2: E 'epoch 2' does not match the open slice on track 1",
      'event 4 ({"name":"x","ph":"i","ts":6,"pid":1,"tid":2}): instant without scope t or g',
      'event 5 ({"name":"x","ph":"C","s":"t","ts":7,"pid":1,"tid":1,"args":{"n":"x"}}): counter with a non-number',
      'async io:3 never ended',
      'flow 7: 1 start(s), 0 end(s)',
    ]);
  });
});
