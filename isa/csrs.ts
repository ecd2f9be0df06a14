/**
 * The CSR map of the guest machine: number, name, access and meaning. The assembler, disassembler,
 * interpreter and isa/ISA.md all read it from here.
 */

export type CsrAccess = 'rw' | 'ro';

export interface CsrRow {
  readonly name: string;
  readonly number: number;
  readonly access: CsrAccess;
  readonly summary: string;
  /** Reading it returns a value that differs between computers: a monitor reads it on the primary only. */
  readonly nondeterministic?: boolean;
}

export const CSRS: readonly CsrRow[] = Object.freeze([
  {
    name: 'seed',
    number: 0x015,
    access: 'rw',
    summary: "entropy from the computer's random source (Zkr); writes are ignored",
    nondeterministic: true,
  },
  { name: 'cycle', number: 0xc00, access: 'ro', summary: "cycle counter (the computer's clock), low word", nondeterministic: true },
  { name: 'time', number: 0xc01, access: 'ro', summary: 'virtual time in nanoseconds, low word', nondeterministic: true },
  { name: 'instret', number: 0xc02, access: 'ro', summary: 'instructions retired by the virtual processor, low word' },
  { name: 'cycleh', number: 0xc80, access: 'ro', summary: 'cycle counter, high word', nondeterministic: true },
  { name: 'timeh', number: 0xc81, access: 'ro', summary: 'virtual time, high word', nondeterministic: true },
  { name: 'instreth', number: 0xc82, access: 'ro', summary: 'instructions retired, high word' },
  { name: 'mvendorid', number: 0xf11, access: 'ro', summary: 'constant 0' },
  { name: 'marchid', number: 0xf12, access: 'ro', summary: 'constant 0' },
  { name: 'mimpid', number: 0xf13, access: 'ro', summary: 'constant 0' },
  { name: 'mhartid', number: 0xf14, access: 'ro', summary: 'constant 0' },
  { name: 'mstatus', number: 0x300, access: 'rw', summary: 'MIE (bit 3), MPIE (bit 7), MPP (bits 12:11); other bits read 0' },
  { name: 'misa', number: 0x301, access: 'ro', summary: 'constant: MXL=1 (32-bit), extensions I, M, U, X' },
  { name: 'mie', number: 0x304, access: 'rw', summary: 'interrupt enables: MTIE (bit 7), MEIE (bit 11)' },
  { name: 'mtvec', number: 0x305, access: 'rw', summary: 'trap vector base (direct mode; low two bits read 0)' },
  { name: 'mscratch', number: 0x340, access: 'rw', summary: 'scratch register for trap handlers' },
  { name: 'mepc', number: 0x341, access: 'rw', summary: 'pc to resume at after a trap (low bit reads 0)' },
  { name: 'mcause', number: 0x342, access: 'rw', summary: 'trap cause; bit 31 set for interrupts' },
  { name: 'mtval', number: 0x343, access: 'rw', summary: 'faulting address or instruction' },
  { name: 'mip', number: 0x344, access: 'rw', summary: 'pending interrupts: MTIP (bit 7), MEIP (bit 11); the guest clears them' },
  { name: 'mcycle', number: 0xb00, access: 'ro', summary: 'alias of cycle', nondeterministic: true },
  { name: 'minstret', number: 0xb02, access: 'ro', summary: 'alias of instret' },
  { name: 'mcycleh', number: 0xb80, access: 'ro', summary: 'alias of cycleh', nondeterministic: true },
  { name: 'minstreth', number: 0xb82, access: 'ro', summary: 'alias of instreth' },
  {
    name: 'xtv1',
    number: 0x7c0,
    access: 'rw',
    summary: 'Xshadow: delivered V1 bits (register i was the destination of a trapping instruction)',
  },
  { name: 'xtv2', number: 0x7c1, access: 'rw', summary: 'Xshadow: delivered V2 bits (bit 0 OVF, bit 1 DIVZ)' },
  { name: 'xioq', number: 0x7c2, access: 'rw', summary: 'Xshadow: guest physical address of the completion ring' },
  { name: 'xioqn', number: 0x7c3, access: 'rw', summary: 'Xshadow: capacity of the completion ring in records (a power of two)' },
  { name: 'xtimer', number: 0x7c4, access: 'rw', summary: 'Xshadow: timer period in virtual microseconds, 0 = off' },
]);

export const CSR_BY_NAME: ReadonlyMap<string, CsrRow> = new Map(CSRS.map((c) => [c.name, c]));
export const CSR_BY_NUMBER: ReadonlyMap<number, CsrRow> = new Map(CSRS.map((c) => [c.number, c]));

/** Interrupt and exception causes (mcause values) used by the machine. */
export const CAUSE = {
  /** A jump or branch to an address that is not 4-byte aligned (the trap is taken at the jump). */
  INSTRUCTION_MISALIGNED: 0,
  /** Fetching from outside RAM. */
  INSTRUCTION_ACCESS_FAULT: 1,
  ILLEGAL_INSTRUCTION: 2,
  BREAKPOINT: 3,
  LOAD_MISALIGNED: 4,
  LOAD_ACCESS_FAULT: 5,
  STORE_MISALIGNED: 6,
  STORE_ACCESS_FAULT: 7,
  ECALL_U: 8,
  ECALL_M: 11,
  DEFERRED_TRAP: 24,
  /** Interrupt causes have bit 31 set in mcause. */
  TIMER_INTERRUPT: 7,
  EXTERNAL_INTERRUPT: 11,
} as const;

export const MSTATUS = { MIE: 1 << 3, MPIE: 1 << 7, MPP_SHIFT: 11, MPP_MASK: 3 << 11 } as const;
export const MIP = { MTIP: 1 << 7, MEIP: 1 << 11 } as const;
/** Deferred-trap classes: bit numbers of V2. */
export const TRAP_CLASS = { OVF: 0, DIVZ: 1 } as const;
export const RAM_BASE = 0x80000000;
export const DEFAULT_RAM_MIB = 16;
