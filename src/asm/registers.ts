/** Register names of the guest ISA: x0..x31, the ABI names GNU as and objdump use, and `fp` (= s0). */

export const ABI_NAMES: readonly string[] = Object.freeze([
  'zero',
  'ra',
  'sp',
  'gp',
  'tp',
  't0',
  't1',
  't2',
  's0',
  's1',
  'a0',
  'a1',
  'a2',
  'a3',
  'a4',
  'a5',
  'a6',
  'a7',
  's2',
  's3',
  's4',
  's5',
  's6',
  's7',
  's8',
  's9',
  's10',
  's11',
  't3',
  't4',
  't5',
  't6',
]);

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
