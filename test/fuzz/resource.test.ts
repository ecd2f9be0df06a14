import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterResource } from '../../src/fuzz/resource.js';
import { drawConfig, type FuzzCase } from '../../src/fuzz/case.js';
import type { EngineInput } from '../../src/fuzz/engine.js';
import { workerScript } from '../../src/fuzz/pool.js';
import { Random } from '../../src/base/random.js';
import { deriveSeed } from '../../src/base/seeds.js';
import { DEFAULTS } from '../../src/base/defaults.js';
import { assemble } from '../../src/asm/assembler.js';
import { cli } from '../cli/helpers.js';

const config = { seed: 1, epochLength: 4096, trapDelayMax: 16, channelCapacity: 1024, backupPace: 1, drainEndsEpoch: false };
const image = assemble('halt zero\n').image;
const share = (plan: EngineInput['plan'], items: number[]): EngineInput => ({
  image,
  programName: 'g.s',
  env: { maxInstructions: 1000, flaws: [] },
  plan,
  items,
  determinismItems: [],
});
const sweep = share({ kind: 'sweep', config, points: 'events' }, [1, 4, 7, 10]);

describe('a fuzz worker that runs out of memory', () => {
  it('blames the case it had started, as a resource verdict with its replay line, and the items after it go on', () => {
    const c: FuzzCase = { ...config, fail: 'primary', point: { kind: 'event', n: 4 }, outstanding: 'dropped' };
    const { report, rest } = afterResource(
      sweep,
      { started: { item: 4, case: c }, reported: new Set([1]) },
      'the fuzz worker ran out of memory (heap ceiling 64 MiB)',
    );
    expect(report.index).toBe(4);
    expect(report.case).toEqual(c);
    expect(report.violations).toEqual([
      { oracle: 'resource', detail: 'the fuzz worker ran out of memory (heap ceiling 64 MiB) during this case' },
    ]);
    expect(report.replay).toBe(
      'npx shadowvm fuzz g.s --seed 1 --epoch 4096 --trap-delay 16 --channel-capacity 1024 --backup-pace 1 --fail-at event:4 --outstanding dropped',
    );
    expect(rest?.items).toEqual([7, 10]);
  });

  it("in a sweep's reference run: blames the failure-free case, and nothing else can run", () => {
    const { report, rest } = afterResource(
      sweep,
      { started: undefined, reported: new Set() },
      'the fuzz worker ran out of memory (heap ceiling 64 MiB)',
    );
    expect(report.case.fail).toBe('none');
    expect(report.violations[0]!.detail).toBe('the fuzz worker ran out of memory (heap ceiling 64 MiB) in the failure-free reference run');
    expect(report.replay).toBe('npx shadowvm fuzz g.s --seed 1 --epoch 4096 --trap-delay 16 --channel-capacity 1024 --backup-pace 1');
    expect(rest).toBeUndefined();
  });

  it("in a campaign run's reference: blames that run's own configuration, and the later runs go on", () => {
    const campaign = share({ kind: 'campaign', seed: 9 }, [0, 2, 4]);
    const { report, rest } = afterResource(campaign, { started: undefined, reported: new Set([0]) }, 'why');
    expect(report.index).toBe(2);
    expect(report.case).toEqual({
      ...drawConfig(new Random(deriveSeed(9, 'run:2'))),
      fail: 'none',
      point: { kind: 'event', n: 0 },
      outstanding: 'seeded',
    });
    expect(rest?.items).toEqual([4]);
  });

  it('the last case of a share: nothing is left', () => {
    const c: FuzzCase = { ...config, fail: 'primary', point: { kind: 'event', n: 10 }, outstanding: 'performed' };
    expect(afterResource(sweep, { started: { item: 10, case: c }, reported: new Set([1, 4, 7, 10]) }, 'why').rest).toBeUndefined();
  });

  it('has a documented default ceiling', () => {
    expect(DEFAULTS.fuzzWorkerHeapMiB).toBe(1024);
  });
});

describe.skipIf(!workerScript())('fuzz --worker-memory (needs dist/: npm run build)', () => {
  it('a worker past its ceiling is a resource verdict with a replay line, never a host crash; only resource verdicts: exit 71', async () => {
    const r = await cli('fuzz', 'programs/hello.s', '--workers', '1', '--worker-memory', '4');
    expect(r.code).toBe(71);
    expect(r.out).toContain(
      'earliest failure: none at event:0: resource: the fuzz worker ran out of memory (heap ceiling 4 MiB) in the failure-free reference run\n',
    );
    expect(r.out).toContain(
      '\nnpx shadowvm fuzz programs/hello.s --seed 1 --epoch 4096 --trap-delay 16 --channel-capacity 1024 --backup-pace 1\n',
    );
    expect(r.err).toBe('');
  }, 60_000);

  it('within the default ceiling the same sweep holds (exit 0, no resource verdict)', async () => {
    const r = await cli('fuzz', 'programs/hello.s', '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nresource +0 /);
  }, 60_000);
});

/** Writes a 1 MiB buffer to the console 300 times, one after another (each waits for its record): 300 MiB of output in a few thousand instructions. */
const FLOOD = `
    .equ RING, 0x80100000
_start:
    li t0, 8
    csrw xioqn, t0
    li t5, RING
    csrw xioq, t5
    la a0, connect
    call issue_wait
    li s0, 0
    li s1, 300
    li s2, 0x100000
1:  la a0, write
    mul t1, s0, s2
    sw t1, 20(a0)
    call issue_wait
    addi s0, s0, 1
    bne s0, s1, 1b
    halt zero
# issue_wait(a0 = IORB): issues it and waits for the next record, which it consumes (head = tail).
issue_wait:
    lw t4, 4(t5)
    io t0, a0
    bnez t0, 3f
2:  lw t3, 4(t5)
    beq t3, t4, 2b
    sw t3, 0(t5)
    ret
3:  li a0, 255
    halt a0
    .data
    .align 2
connect: .word 1, 0, 1, 0, 0, 0, 0, 0
write:   .word 3, 0, 2, buf, 0x100000, 0, 0, 0
buf:     .space 0x100000, 0x41
`;

describe("a guest that floods the console past the world's bound", () => {
  it('ends with a clear RESOURCE message and exit 71, not a host crash (run and fuzz)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flood-'));
    try {
      const file = join(dir, 'flood.s');
      writeFileSync(file, FLOOD);
      const message = `console output past its bound of ${DEFAULTS.consoleMaxMiB * 1024 * 1024} bytes: a 1048576-byte write at offset ${DEFAULTS.consoleMaxMiB * 1024 * 1024} by the`;
      const run = await cli('run', file);
      expect(run.code).toBe(71);
      expect(run.err).toContain(message);
      expect(run.err).not.toContain('    at ');
      const fuzz = await cli('fuzz', file, '--workers', '1');
      expect(fuzz.code).toBe(71);
      expect(fuzz.err).toContain(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
