/** Register names of the guest ISA: x0..x31, the ABI names GNU as and objdump use, and `fp` (= s0). */
import { ABI_NAMES } from '../../isa/registers.js';

const BY_NAME: ReadonlyMap<string, number> = new Map<string, number>([
  ...ABI_NAMES.map((n, i) => [n, i] as [string, number]),
  ...Array.from({ length: 32 }, (_, i) => [`x${i}`, i] as [string, number]),
  ['fp', 8],
]);

/** Register number of a name (`x5`, `t0`, `fp`...), or undefined. Names are lower case, as in GNU as. */
export function parseRegister(name: string): number | undefined {
  return BY_NAME.get(name);
}

/** The ABI name objdump prints for a register number. */
export function regName(n: number): string {
  return ABI_NAMES[n & 31]!;
}
