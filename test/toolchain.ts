/** Detects Debian's RISC-V cross toolchain; tests that need it skip with a visible message where it is absent. */
import { spawnSync } from 'node:child_process';
import { describe } from 'vitest';

export const TOOL_PREFIX = 'riscv64-unknown-elf-';

function has(tool: string): boolean {
  const r = spawnSync(TOOL_PREFIX + tool, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

export const hasToolchain: boolean = has('as') && has('ld') && has('objcopy');
export const hasCompiler: boolean = hasToolchain && has('gcc');

/** `describe` that runs only with the toolchain, and says so loudly when it skips. */
export function describeWithToolchain(name: string, body: () => void, needCompiler = false): void {
  const ok = needCompiler ? hasCompiler : hasToolchain;
  if (!ok) {
    process.stderr.write(`SKIPPED "${name}": the Debian RISC-V toolchain (${TOOL_PREFIX}*) is not installed\n`);
  }
  (ok ? describe : describe.skip)(name, body);
}
