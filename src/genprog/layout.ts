/**
 * The layout every part of a generated program shares: register numbers and conventions, the random
 * computation's register pool, the data area's offsets and the failure exit codes.
 *
 * Register conventions (the random code uses only POOL, s1, s10 and a0..a3 between calls):
 *  - tp  = the data area's base (page aligned); s0 = its scratch area; sp = a stack for the runtime's ra;
 *  - s1  = loop counter; s10 = checksum of the computation (timing-independent);
 *  - s11 = deferred traps seen: V1 bits OR-ed, V2 bits OR-ed in at bits 30..31 (OR, never counts, so the
 *          value does not depend on when or in how many deliveries the traps arrive);
 *  - t5, t6 = the trap handler's only scratch registers (it touches nothing else but s11 and CSRs);
 *  - a0..a5, ra = the I/O runtime's registers (clobbered by its calls).
 * Failure exits are negative (bit 31 set); a normal end halts with a checksum shifted right by one (>= 0).
 */

export const REG = {
  ra: 1,
  sp: 2,
  tp: 4,
  t0: 5,
  s0: 8,
  s1: 9,
  a0: 10,
  a1: 11,
  a2: 12,
  a3: 13,
  a4: 14,
  a5: 15,
  s10: 26,
  s11: 27,
  t5: 30,
  t6: 31,
} as const;

/** Registers the random computation owns: t0-t2, a6, a7, s2-s9, t3, t4. */
export const POOL: readonly number[] = Object.freeze([5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 28, 29]);

/** Byte offsets inside the data area (tp). */
export const DATA = {
  ring: 0x000,
  ringCapacity: 8,
  pending: 0x0c0,
  disconnects: 0x0c4,
  iorbs: 0x100,
  buffers: 0x200,
  bufferBytes: 16,
  log: 0x300,
  logWords: 64,
  scratch: 0x400,
  scratchBytes: 0x400,
  /** Initialised part (ring .. buffers); the log and scratch load as zero fill. */
  initBytes: 0x300,
  bytes: 0x800,
} as const;

/** Slot 0 is the CONNECT request; slots 1..MAX_WRITES are WRITEs. */
export const MAX_WRITES = 7;

/** Exit codes of the failure paths (all negative as int32). */
export const FAIL_CODE = {
  /** | mcause: a trap the handler does not expect. */
  unexpectedTrap: 0xbad00000,
  /** | (status & 0xff): `io` refused a request. */
  ioRefused: 0xe1000000,
  /** | status << 8 | tag: an ERROR (or unknown) completion record. */
  ioError: 0xee000000,
} as const;

export interface RuntimeOptions {
  readonly io: boolean;
  readonly traps: boolean;
  /** Timer period in µs, 0 = no timer. */
  readonly timerUs: number;
}
