import { describe, expect, it } from 'vitest';
import { TraceRecorder, EpochTrack } from '../../src/debug/trace-recorder.js';
import { samplingNote, traceFile } from '../../src/debug/trace-write.js';
import { traceProblems } from './trace-check.js';

describe('the sampling of a trace', () => {
  it('merges epochs past the limit, counts what it does not draw, and says so', () => {
    let now = 0;
    const rec = new TraceRecorder(() => now, 'test clock', 10, 4);
    rec.track(1, 'primary', 0, 'p');
    const epochs = new EpochTrack(rec, 1);
    for (let e = 1; e <= 20; e++) {
      epochs.start(e);
      now += 10;
      if (rec.admit('io')) rec.instant(1, 'io');
      epochs.end(e, { reason: 'rr' });
    }
    epochs.stop({});
    const file = traceFile(rec, 'pair', 'x.elf');
    expect(traceProblems(file)).toEqual([]);
    expect(file.traceEvents.filter((e) => e.ph === 'B').map((e) => e.name)).toEqual([
      'epoch 1',
      'epoch 2',
      'epoch 3',
      'epochs from 4',
      'epochs from 8',
      'epochs from 12',
      'epochs from 16',
      'epochs from 20',
    ]);
    expect(file.otherData).toMatchObject({ sampled: true, mergedEpochs: 17, dropped: { io: 18 } });
    expect(samplingNote(file, 't.json')).toBe(
      'trace: past 10 events the trace is sampled: 17 epochs merged 4 to a slice, events counted instead of drawn: 18 io (see otherData in t.json)',
    );
  });

  it('has nothing to say about a trace under its limit', () => {
    const rec = new TraceRecorder(() => 0, 'test clock');
    rec.instant(1, 'x');
    expect(samplingNote(traceFile(rec, 'run', 'x'), 't.json')).toBeUndefined();
  });
});
