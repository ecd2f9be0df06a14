/**
 * Standard CSR names (privileged spec 1.12, as GNU as knows them) that the machine's CSR map
 * (isa/csrs.ts) does not hold: the assembler accepts them, and the disassembler prints them, as GNU
 * as and objdump do. The machine itself traps on most of them (see docs/machine.md).
 */
const FIXED: readonly (readonly [string, number])[] = [
  ['sstatus', 0x100],
  ['sie', 0x104],
  ['stvec', 0x105],
  ['scounteren', 0x106],
  ['senvcfg', 0x10a],
  ['sscratch', 0x140],
  ['sepc', 0x141],
  ['scause', 0x142],
  ['stval', 0x143],
  ['sip', 0x144],
  ['satp', 0x180],
  ['medeleg', 0x302],
  ['mideleg', 0x303],
  ['mcounteren', 0x306],
  ['menvcfg', 0x30a],
  ['mstatush', 0x310],
  ['menvcfgh', 0x31a],
  ['mcountinhibit', 0x320],
  ['mtinst', 0x34a],
  ['mtval2', 0x34b],
  ['mseccfg', 0x747],
  ['mseccfgh', 0x757],
  ['tselect', 0x7a0],
  ['tdata1', 0x7a1],
  ['tdata2', 0x7a2],
  ['tdata3', 0x7a3],
  ['mcontext', 0x7a8],
  ['dcsr', 0x7b0],
  ['dpc', 0x7b1],
  ['dscratch0', 0x7b2],
  ['dscratch1', 0x7b3],
  ['mconfigptr', 0xf15],
];

function* numbered(): Generator<readonly [string, number]> {
  for (let i = 0; i < 16; i++) yield [`pmpcfg${i}`, 0x3a0 + i];
  for (let i = 0; i < 64; i++) yield [`pmpaddr${i}`, 0x3b0 + i];
  for (let i = 3; i < 32; i++) {
    yield [`mhpmcounter${i}`, 0xb00 + i];
    yield [`mhpmcounter${i}h`, 0xb80 + i];
    yield [`hpmcounter${i}`, 0xc00 + i];
    yield [`hpmcounter${i}h`, 0xc80 + i];
    yield [`mhpmevent${i}`, 0x320 + i];
  }
}

export const STANDARD_CSRS: ReadonlyMap<string, number> = new Map([...FIXED, ...numbered()]);
export const STANDARD_CSR_NAMES: ReadonlyMap<number, string> = new Map([...STANDARD_CSRS].map(([n, v]) => [v, n]));
