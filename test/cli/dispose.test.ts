/** Commands hand their computers' RAM back to the pool when they end, so a process that runs many stays small. */
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { pooledRam, takeRam } from '../../src/base/ram-pool.js';
import { programPath } from '../programs.js';

const RAM = 2 * 1024 * 1024;

describe('RAM handed back to the pool', () => {
  it.each([
    ['run', ['run', programPath('counter.elf'), '--ram', '2'], 1],
    ['pair', ['pair', programPath('counter.elf'), '--ram', '2'], 2],
    ['step', ['step', programPath('counter.elf'), '--ram', '2', '--script', 's 10; q'], 2],
  ])('%s gives back each computer it used', async (_name, argv, computers) => {
    while (pooledRam(RAM) > 0) takeRam(RAM); // an empty pool: what is in it afterwards, the command gave back
    const r = await cli(...(argv as string[]));
    expect(r.code).not.toBe(70);
    expect(pooledRam(RAM)).toBe(computers);
  });
});
