import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    setupFiles: ['./test/yield-setup.ts'],
    // vitest's default is one worker fewer than the cores: on a 2-core machine, one. Most test files wait on
    // child processes or fuzz workers part of the time, so two side by side finish sooner (measured: 5 min 8 s
    // with one, 4 min 22 s with two, on this project's 2-core machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
