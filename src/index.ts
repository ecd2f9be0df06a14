/**
 * shadowvm's public API: what a test suite or a tool imports. (Test helpers that need vitest and
 * fast-check are in `shadowvm/testing`.)
 */
export { loadProgram } from './asm/load.js';
export { assemble } from './asm/assembler.js';
export { Pair, type PairOptions, type PairResult, type PairSnapshot, type TakeoverSummary } from './ft/pair.js';
export { World } from './hw/world.js';
export { parseFailurePoint, formatFailurePoint, type FailurePoint } from './ft/failure-point.js';
export { Computer } from './hw/computer.js';
export { runBare } from './hw/bare.js';
export { Monitor } from './vmm/monitor.js';
export { monitorConfig, type MonitorConfig } from './vmm/config.js';
export { fuzzFailover, type FuzzOptions, type FuzzReport, type FuzzFailure } from './fuzz/fuzz.js';
export { ShadowError } from './base/errors.js';
/** The path of a file shipped with the package, e.g. `bundledProgram('programs/build/journal.elf')`. */
export { bundledProgram } from './base/paths.js';
export type { ProgramImage } from '../isa/image.js';
