/** The message of an assembly that must fail with an assembler error (code ASM), for pinning it whole. */
import { expect } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { ShadowError } from '../../src/base/errors.js';

export function asmError(source: string, opts: Parameters<typeof assemble>[1] = {}): string {
  try {
    assemble(source, { file: 'p.s', ...opts });
  } catch (err) {
    expect(err).toBeInstanceOf(ShadowError);
    expect((err as ShadowError).code).toBe('ASM');
    return (err as Error).message;
  }
  throw new Error('assembled without error');
}
