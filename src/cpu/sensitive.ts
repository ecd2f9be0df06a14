/**
 * Emulation of the sensitive instructions (spec section 2), Spike style: one tiny handler per mnemonic of
 * the table, bound by name. `executeSensitive` runs the instruction at pc, counts it (instret, the
 * recovery register, the trap unit's countdown) and advances pc, except on an exception, where pc stays
 * at the instruction (which still counts). What the outside world supplies (nondeterministic CSR values,
 * I/O) comes through `SensitiveEnv`; what the caller must act on comes back as a `SensitiveOutcome`.
 *
 * Privilege: CSR access follows csr[9:8] and the table's ro/rw (csr.ts); mret, wfi, io and halt are
 * M-mode only (illegal instruction in U); ecall, ebreak and drain work in both.
 */
import { INSTRUCTIONS } from '../../isa/instructions.js';
import { decodeRow } from '../../isa/decode.js';
import { csrField, rd as rdOf, rs1 as rs1Of } from '../../isa/formats.js';
import { CAUSE } from '../../isa/csrs.js';
import { csrAllowed, readCsr, writeCsr } from './csr.js';
import { returnFromTrap } from './traps.js';
import type { Cpu } from './cpu.js';
import type { CpuState } from './types.js';

export interface SensitiveEnv {
  /** The value of a nondeterministic CSR read (time/timeh/cycle/cycleh/mcycle/mcycleh/seed). */
  nondet(csr: number): number;
  /** Submits the I/O request block at iorbAddr; returns the status for rd. */
  io(iorbAddr: number): number;
}

export type SensitiveOutcome =
  | { kind: 'done' }
  | { kind: 'halt'; code: number }
  | { kind: 'wfi' }
  | { kind: 'drain' }
  | { kind: 'exception'; cause: number; tval: number };

const DONE: SensitiveOutcome = Object.freeze({ kind: 'done' });
const WFI: SensitiveOutcome = Object.freeze({ kind: 'wfi' });
const DRAIN: SensitiveOutcome = Object.freeze({ kind: 'drain' });

type Handler = (s: CpuState, w: number, env: SensitiveEnv) => SensitiveOutcome;

const exception = (cause: number, tval: number): SensitiveOutcome => ({ kind: 'exception', cause, tval: tval >>> 0 });
const illegal = (w: number): SensitiveOutcome => exception(CAUSE.ILLEGAL_INSTRUCTION, w);

function setRd(s: CpuState, w: number, value: number): void {
  const rd = rdOf(w);
  if (rd !== 0) s.regs[rd] = value;
}

/**
 * One CSR instruction. `operand` is rs1's value or the uimm; `writes` says whether it writes at all
 * (csrrw always; csrrs/csrrc only when rs1/uimm is not x0/0); `reads` (csrrw with rd = x0 does not read,
 * so a nondeterministic CSR is not consumed). `op` combines the old value and the operand.
 */
function csrOp(kind: 'w' | 's' | 'c', immediate: boolean): Handler {
  return (s, w, env) => {
    const csr = csrField(w);
    const src = rs1Of(w);
    const operand = immediate ? src : s.regs[src]! >>> 0;
    const writes = kind === 'w' || src !== 0;
    const reads = kind !== 'w' || rdOf(w) !== 0;
    if (!csrAllowed(csr, s.mode, writes)) return illegal(w);
    const old = reads ? readCsr(s, csr, (n) => env.nondet(n)) : 0;
    if (writes) writeCsr(s, csr, kind === 'w' ? operand : kind === 's' ? old | operand : old & ~operand);
    setRd(s, w, old);
    return DONE;
  };
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  csrrw: csrOp('w', false),
  csrrs: csrOp('s', false),
  csrrc: csrOp('c', false),
  csrrwi: csrOp('w', true),
  csrrsi: csrOp('s', true),
  csrrci: csrOp('c', true),
  ecall: (s) => exception(s.mode === 0 ? CAUSE.ECALL_U : CAUSE.ECALL_M, 0),
  ebreak: (s) => exception(CAUSE.BREAKPOINT, s.pc),
  mret: (s, w) => {
    if (s.mode !== 3) return illegal(w);
    returnFromTrap(s);
    return DONE;
  },
  wfi: (s, w) => (s.mode !== 3 ? illegal(w) : WFI),
  drain: () => DRAIN,
  io: (s, w, env) => {
    if (s.mode !== 3) return illegal(w);
    setRd(s, w, env.io(s.regs[rs1Of(w)]! >>> 0));
    return DONE;
  },
  halt: (s, w) => (s.mode !== 3 ? illegal(w) : { kind: 'halt', code: s.regs[rs1Of(w)]! }),
};

/** Instructions that change pc themselves (no +4 after them). */
const SETS_PC = new Set(['mret']);

for (const row of INSTRUCTIONS) {
  if (row.sensitive !== false && !HANDLERS[row.mnemonic]) throw new Error(`cpu: no emulation for sensitive '${row.mnemonic}'`);
}

/** Counts one instruction: instret, the recovery register when armed, the trap unit's countdown when running. */
function retire(s: CpuState): void {
  s.instret++;
  if (s.rr > 0) s.rr--;
  if (s.trap.countdown > 0) s.trap.countdown--;
}

/**
 * Emulates the sensitive instruction `word` at pc (as `run` reported it). A word that is no sensitive
 * instruction of the table is a caller error and throws.
 */
export function executeSensitive(cpu: Cpu, word: number, env: SensitiveEnv): SensitiveOutcome {
  const s = cpu.state;
  const row = decodeRow(word >>> 0);
  if (!row || row.sensitive === false) {
    throw new Error(`executeSensitive: 0x${(word >>> 0).toString(16)} at pc 0x${s.pc.toString(16)} is not a sensitive instruction`);
  }
  const outcome = HANDLERS[row.mnemonic]!(s, word | 0, env);
  retire(s);
  if (outcome.kind !== 'exception' && !SETS_PC.has(row.mnemonic)) s.pc = (s.pc + 4) >>> 0;
  return outcome;
}
