/**
 * The disassembler: one word -> the text `riscv64-unknown-elf-objdump -d` (binutils 2.40) prints for
 * it, aliases included (`li`, `mv`, `j`, `ret`, `csrr`, `add a0,a1,5` for addi...). Rows come from the
 * instruction table through decode(); only the choice of alias is objdump's and lives here.
 *
 * `Disassembler` keeps objdump's state between instructions (the value of the last lui/auipc of each
 * register) to print the `# 80000024 <msg>` address comments; `disassemble` is the stateless form.
 */
import { CSR_BY_NUMBER } from '../../isa/csrs.js';
import { STANDARD_CSR_NAMES } from './csr-names.js';
import { decode, type DecodedInstruction } from './decode.js';
import { regName } from './registers.js';

/** The symbol objdump would name an address by (nearest at or before it, see listing.ts). */
export type SymbolLookup = (addr: number) => { readonly name: string; readonly addr: number } | undefined;

/** The 32-bit value in hex, unpadded and unprefixed, as objdump prints addresses and offsets. */
const hex = (n: number): string => (n >>> 0).toString(16);

/** objdump's `80000010 <loop+0x4>`, or `0x80000010` when there are no symbols at all. */
export function formatAddress(addr: number, symbolAt?: SymbolLookup): string {
  const sym = symbolAt?.(addr >>> 0);
  if (!symbolAt) return `0x${hex(addr)}`;
  if (!sym) return hex(addr);
  const a = addr >>> 0;
  const s = sym.addr >>> 0;
  const off = a === s ? '' : a > s ? `+0x${hex(a - s)}` : `-0x${hex(s - a)}`;
  return `${hex(a)} <${sym.name}${off}>`;
}

/** Name of a CSR number as printed (our CSR map, else hex). */
export function csrName(n: number): string {
  return CSR_BY_NUMBER.get(n)?.name ?? STANDARD_CSR_NAMES.get(n) ?? `0x${hex(n)}`;
}

const FENCE_SET = ['unknown', 'w', 'r', 'rw', 'o', 'ow', 'or', 'orw', 'i', 'iw', 'ir', 'irw', 'io', 'iow', 'ior', 'iorw'];
const COUNTER_ALIAS: ReadonlyMap<number, string> = new Map([
  [0xc00, 'rdcycle'],
  [0xc01, 'rdtime'],
  [0xc02, 'rdinstret'],
  [0xc80, 'rdcycleh'],
  [0xc81, 'rdtimeh'],
  [0xc82, 'rdinstreth'],
]);
const X_GP = 3;
const X_TP = 4;

export class Disassembler {
  /** Value of the last lui/auipc into each register, or undefined once used (objdump's hi_addr). */
  private readonly hi: (number | undefined)[] = new Array(32).fill(undefined);
  private printAddr: number | undefined;

  constructor(
    private readonly symbolAt?: SymbolLookup,
    /** Value of `__global_pointer$`, when the program has one. */
    private readonly gp?: number,
  ) {}

  /** The text of one instruction at `pc`: mnemonic, a tab, operands, and maybe ` # address`. */
  text(word: number, pc: number): string {
    const d = decode(word);
    this.printAddr = undefined;
    const body = d ? this.format(d, word >>> 0, pc >>> 0) : `.4byte\t0x${hex(word)}`;
    if (this.printAddr === undefined) return body;
    return `${body} # ${formatAddress(this.printAddr, this.symbolAt)}`;
  }

  private maybeAddress(base: number, offset: number): void {
    const hi = this.hi[base];
    let addr: number;
    if (hi !== undefined) {
      addr = (base !== 0 ? hi : 0) + offset;
      this.hi[base] = undefined;
    } else if (base === X_GP && this.gp !== undefined) addr = this.gp + offset;
    else if (base === X_TP || base === 0) addr = offset;
    else return;
    this.printAddr = addr >>> 0;
  }

  private target(pc: number, offset: number): string {
    return formatAddress((pc + offset) >>> 0, this.symbolAt);
  }

  private format(d: DecodedInstruction, w: number, pc: number): string {
    const m = d.row.mnemonic;
    const rd = d.rd ?? 0;
    const rs1 = d.rs1 ?? 0;
    const rs2 = d.rs2 ?? 0;
    const imm = d.imm ?? 0;
    const R = regName;
    const op = (name: string, args: string): string => (args === '' ? name : `${name}\t${args}`);
    switch (d.row.format) {
      case 'U':
        this.hi[rd] = m === 'auipc' ? (pc + (w & 0xfffff000)) >>> 0 : (w & 0xfffff000) >>> 0;
        return op(m, `${R(rd)},0x${hex(imm)}`);
      case 'J':
        if (rd === 0) return op('j', this.target(pc, imm));
        if (rd === 1) return op('jal', this.target(pc, imm));
        return op('jal', `${R(rd)},${this.target(pc, imm)}`);
      case 'B':
        return this.branch(m, rs1, rs2, this.target(pc, imm));
      case 'S':
        this.maybeAddress(rs1, imm);
        return op(m, `${R(rs2)},${imm}(${R(rs1)})`);
      case 'I':
        return this.formatI(d, rd, rs1, imm);
      case 'I-shift':
        return op(m.slice(0, 3), `${R(rd)},${R(rs1)},0x${hex(imm)}`);
      case 'R':
        return this.formatR(m, rd, rs1, rs2);
      case 'CSR':
      case 'CSRI':
        return this.formatCsr(m, rd, d.csr ?? 0, d.row.format === 'CSRI' ? String(imm) : R(rs1), rs1);
      case 'FENCE': {
        const p = d.pred ?? 0;
        const s = d.succ ?? 0;
        return p === 15 && s === 15 ? 'fence' : op('fence', `${FENCE_SET[p]},${FENCE_SET[s]}`);
      }
      case 'FIXED':
        return m;
    }
  }

  private branch(m: string, rs1: number, rs2: number, t: string): string {
    const R = regName;
    switch (m) {
      case 'beq':
        if (rs2 === 0) return `beqz\t${R(rs1)},${t}`;
        break;
      case 'bne':
        if (rs2 === 0) return `bnez\t${R(rs1)},${t}`;
        break;
      case 'blt':
        if (rs2 === 0) return `bltz\t${R(rs1)},${t}`;
        if (rs1 === 0) return `bgtz\t${R(rs2)},${t}`;
        break;
      case 'bge':
        if (rs1 === 0) return `blez\t${R(rs2)},${t}`;
        if (rs2 === 0) return `bgez\t${R(rs1)},${t}`;
        break;
    }
    return `${m}\t${R(rs1)},${R(rs2)},${t}`;
  }

  private formatI(d: DecodedInstruction, rd: number, rs1: number, imm: number): string {
    const m = d.row.mnemonic;
    const R = regName;
    switch (m) {
      case 'jalr':
        if (rd === 0 && rs1 === 1 && imm === 0) return 'ret';
        this.maybeAddress(rs1, imm);
        if (rd === 0) return imm === 0 ? `jr\t${R(rs1)}` : `jr\t${imm}(${R(rs1)})`;
        if (rd === 1) return imm === 0 ? `jalr\t${R(rs1)}` : `jalr\t${imm}(${R(rs1)})`;
        return imm === 0 ? `jalr\t${R(rd)},${R(rs1)}` : `jalr\t${R(rd)},${imm}(${R(rs1)})`;
      case 'addi':
        if (rd === 0 && rs1 === 0 && imm === 0) return 'nop';
        if (rs1 === 0) return `li\t${R(rd)},${imm}`;
        if (imm === 0) return `mv\t${R(rd)},${R(rs1)}`;
        this.maybeAddress(rs1, imm);
        return `add\t${R(rd)},${R(rs1)},${imm}`;
      case 'sltiu':
        if (imm === 1) return `seqz\t${R(rd)},${R(rs1)}`;
        return `sltiu\t${R(rd)},${R(rs1)},${imm}`;
      case 'xori':
        if (imm === -1) return `not\t${R(rd)},${R(rs1)}`;
        return `xor\t${R(rd)},${R(rs1)},${imm}`;
      case 'ori':
        return `or\t${R(rd)},${R(rs1)},${imm}`;
      case 'andi':
        if (imm === 255) return `zext.b\t${R(rd)},${R(rs1)}`;
        return `and\t${R(rd)},${R(rs1)},${imm}`;
      case 'slti':
        return `slti\t${R(rd)},${R(rs1)},${imm}`;
    }
    if (d.row.syntax === 'rd, imm(rs1)') {
      this.maybeAddress(rs1, imm);
      return `${m}\t${R(rd)},${imm}(${R(rs1)})`;
    }
    if (d.row.syntax === 'rd, rs1') return `${m}\t${R(rd)},${R(rs1)}`;
    if (d.row.syntax === 'rs1') return `${m}\t${R(rs1)}`;
    return `${m}\t${R(rd)},${R(rs1)},${imm}`;
  }

  private formatR(m: string, rd: number, rs1: number, rs2: number): string {
    const R = regName;
    if (m === 'sub' && rs1 === 0) return `neg\t${R(rd)},${R(rs2)}`;
    if (m === 'slt' && rs2 === 0) return `sltz\t${R(rd)},${R(rs1)}`;
    if (m === 'slt' && rs1 === 0) return `sgtz\t${R(rd)},${R(rs2)}`;
    if (m === 'sltu' && rs1 === 0) return `snez\t${R(rd)},${R(rs2)}`;
    return `${m}\t${R(rd)},${R(rs1)},${R(rs2)}`;
  }

  private formatCsr(m: string, rd: number, csr: number, src: string, rs1: number): string {
    const base = m.replace(/i$/, '');
    const name = csrName(csr);
    const R = regName;
    if (m === 'csrrw' && rd === 0 && rs1 === 0 && csr === 0xc00) return 'unimp';
    if (m === 'csrrs' && rs1 === 0) {
      const counter = COUNTER_ALIAS.get(csr);
      if (counter) return `${counter}\t${R(rd)}`;
      return `csrr\t${R(rd)},${name}`;
    }
    if (rd === 0) return `${base.replace('csrr', 'csr')}\t${name},${src}`;
    return `${base}\t${R(rd)},${name},${src}`;
  }
}

/**
 * One instruction as objdump prints it after the raw bytes, e.g. `li\ta0,0` or `j\t0x80000010`
 * (mnemonic and operands separated by a tab). Branch and jump targets are absolute; with
 * `symbolAt` they read `80000010 <loop>` as in objdump, without it `0x80000010`.
 */
export function disassemble(word: number, pc: number, symbolAt?: SymbolLookup): string {
  return new Disassembler(symbolAt).text(word, pc);
}
