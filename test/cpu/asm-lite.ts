/**
 * A tiny test-only assembler for the cpu and hw tests, driven by THE instruction table (rows' syntax and
 * match, isa/formats.ts pack helpers): GNU-style operands, labels, `.word`/`.space`/`.align`, a few
 * pseudo-instructions (li, la, mv, j, nop, ret, beqz, bnez, csrr, csrw, csrs, csrc, not). Everything goes
 * into one segment at 0x80000000. Not the project's assembler (src/asm): just enough to write guests here.
 */
import { BY_MNEMONIC } from '../../isa/instructions.js';
import { CSR_BY_NAME, RAM_BASE } from '../../isa/csrs.js';
import { packB, packI, packJ, packRd, packRs1, packRs2, packS, packU } from '../../isa/formats.js';
import type { ProgramImage } from '../../isa/image.js';

const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
  's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

export function reg(name: string): number {
  const n = name.trim();
  if (n === 'fp') return 8;
  const i = ABI.indexOf(n);
  if (i >= 0) return i;
  const m = /^x(\d+)$/.exec(n);
  if (m && Number(m[1]) < 32) return Number(m[1]);
  throw new Error(`asm-lite: bad register '${name}'`);
}

/** Encodes one table instruction from numeric operands. */
export function enc(mnemonic: string, o: { rd?: number; rs1?: number; rs2?: number; imm?: number; csr?: number } = {}): number {
  const row = BY_MNEMONIC.get(mnemonic);
  if (!row) throw new Error(`asm-lite: unknown instruction '${mnemonic}'`);
  let w = row.match | packRd(o.rd ?? 0) | packRs1(o.rs1 ?? 0);
  const imm = o.imm ?? 0;
  switch (row.format) {
    case 'R': w |= packRs2(o.rs2 ?? 0); break;
    case 'I': w |= packI(imm); break;
    case 'I-shift': w |= (imm & 31) << 20; break;
    case 'S': w = row.match | packRs1(o.rs1 ?? 0) | packRs2(o.rs2 ?? 0) | packS(imm); break;
    case 'B': w = row.match | packRs1(o.rs1 ?? 0) | packRs2(o.rs2 ?? 0) | packB(imm); break;
    case 'U': w |= packU(imm << 12); break;
    case 'J': w |= packJ(imm); break;
    case 'CSR': case 'CSRI': w |= ((o.csr ?? 0) & 0xfff) << 20; break;
    case 'FENCE': w |= (0xff << 20); break;
    case 'FIXED': w = row.match; break;
  }
  return w >>> 0;
}

function num(s: string, labels?: Map<string, number>): number {
  const t = s.trim();
  if (labels?.has(t)) return labels.get(t)!;
  const m = /^%(hi|lo)\((.+)\)$/.exec(t);
  if (m) {
    const v = num(m[2]!, labels);
    const lo = (v << 20) >> 20;
    return m[1] === 'lo' ? lo : ((v - lo) >>> 12) & 0xfffff;
  }
  if (!/^-?(0x[0-9a-f]+|0b[01]+|\d+)$/i.test(t)) throw new Error(`asm-lite: bad number '${s}'`);
  return t.startsWith('-') ? -Number(t.slice(1)) : Number(t);
}

function csrNum(s: string): number {
  const c = CSR_BY_NAME.get(s.trim());
  return c ? c.number : num(s);
}

interface Line { mnemonic: string; ops: string[]; addr: number; src: string }

/** Expands pseudo-instructions into table instructions (fixed sizes, so pass 1 can lay out addresses). */
function expand(mn: string, ops: string[]): Array<[string, string[]]> {
  switch (mn) {
    case 'nop': return [['addi', ['zero', 'zero', '0']]];
    case 'mv': return [['addi', [ops[0]!, ops[1]!, '0']]];
    case 'not': return [['xori', [ops[0]!, ops[1]!, '-1']]];
    case 'li': return [['lui', [ops[0]!, `%hi(${ops[1]})`]], ['addi', [ops[0]!, ops[0]!, `%lo(${ops[1]})`]]];
    case 'la': return [['lui', [ops[0]!, `%hi(${ops[1]})`]], ['addi', [ops[0]!, ops[0]!, `%lo(${ops[1]})`]]];
    case 'j': return [['jal', ['zero', ops[0]!]]];
    case 'ret': return [['jalr', ['zero', '0(ra)']]];
    case 'beqz': return [['beq', [ops[0]!, 'zero', ops[1]!]]];
    case 'bnez': return [['bne', [ops[0]!, 'zero', ops[1]!]]];
    case 'csrr': return [['csrrs', [ops[0]!, ops[1]!, 'zero']]];
    case 'csrw': return [['csrrw', ['zero', ops[0]!, ops[1]!]]];
    case 'csrs': return [['csrrs', ['zero', ops[0]!, ops[1]!]]];
    case 'csrc': return [['csrrc', ['zero', ops[0]!, ops[1]!]]];
    default: return [[mn, ops]];
  }
}

function splitOps(rest: string): string[] {
  return rest.trim() === '' ? [] : rest.split(',').map((s) => s.trim());
}

/** Assembles `source` into a flat image at RAM_BASE (entry = first instruction). */
export function asm(source: string, base = RAM_BASE): ProgramImage & { words: Uint32Array; labels: Map<string, number> } {
  const lines: Line[] = [];
  const labels = new Map<string, number>();
  const data: Array<{ addr: number; word?: number; space?: number }> = [];
  let addr = base;
  for (const raw of source.split('\n')) {
    let text = raw.replace(/#.*$/, '').trim();
    while (true) {
      const m = /^([A-Za-z_.][\w.]*):\s*(.*)$/.exec(text);
      if (!m) break;
      labels.set(m[1]!, addr);
      text = m[2]!;
    }
    if (text === '') continue;
    const sp = text.search(/\s/);
    const mn = sp < 0 ? text : text.slice(0, sp);
    const rest = sp < 0 ? '' : text.slice(sp + 1);
    if (mn === '.word') {
      for (const v of splitOps(rest)) { lines.push({ mnemonic: '.word', ops: [v], addr, src: raw }); addr += 4; }
      continue;
    }
    if (mn === '.space') { const n = num(rest); data.push({ addr, space: n }); addr += n; continue; }
    if (mn === '.align') { const a = 1 << num(rest); while (addr % a) { data.push({ addr, space: 1 }); addr++; } continue; }
    for (const [m2, ops] of expand(mn, splitOps(rest))) {
      lines.push({ mnemonic: m2, ops, addr, src: raw });
      addr += 4;
    }
  }
  const size = addr - base;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (const l of lines) {
    let w: number;
    try {
      w = l.mnemonic === '.word' ? num(l.ops[0]!, labels) >>> 0 : encodeLine(l, labels);
    } catch (e) {
      throw new Error(`${(e as Error).message} in '${l.src.trim()}'`);
    }
    view.setUint32(l.addr - base, w, true);
  }
  const words = new Uint32Array(bytes.buffer.slice(0, size & ~3));
  return { entry: base, segments: [{ addr: base, bytes }], symbols: [...labels].map(([name, a]) => ({ name, addr: a })), words, labels };
}

function encodeLine(l: Line, labels: Map<string, number>): number {
  const row = BY_MNEMONIC.get(l.mnemonic);
  if (!row) throw new Error(`asm-lite: unknown instruction '${l.mnemonic}'`);
  const o = l.ops;
  const mem = (s: string): { imm: number; rs1: number } => {
    const m = /^(.*)\((\w+)\)$/.exec(s.trim());
    if (!m) throw new Error(`asm-lite: bad memory operand '${s}'`);
    return { imm: m[1]!.trim() === '' ? 0 : num(m[1]!, labels), rs1: reg(m[2]!) };
  };
  const target = (s: string): number => num(s, labels) - l.addr;
  switch (row.syntax) {
    case 'rd, rs1, rs2': return enc(row.mnemonic, { rd: reg(o[0]!), rs1: reg(o[1]!), rs2: reg(o[2]!) });
    case 'rd, rs1, imm': case 'rd, rs1, shamt': return enc(row.mnemonic, { rd: reg(o[0]!), rs1: reg(o[1]!), imm: num(o[2]!, labels) });
    case 'rd, imm(rs1)': return enc(row.mnemonic, { rd: reg(o[0]!), ...mem(o[1]!) });
    case 'rs2, imm(rs1)': return enc(row.mnemonic, { rs2: reg(o[0]!), ...mem(o[1]!) });
    case 'rs1, rs2, target': return enc(row.mnemonic, { rs1: reg(o[0]!), rs2: reg(o[1]!), imm: target(o[2]!) });
    case 'rd, imm': return enc(row.mnemonic, { rd: reg(o[0]!), imm: num(o[1]!, labels) });
    case 'rd, target': return enc(row.mnemonic, { rd: reg(o[0]!), imm: target(o[1]!) });
    case 'rd, csr, rs1': return enc(row.mnemonic, { rd: reg(o[0]!), csr: csrNum(o[1]!), rs1: reg(o[2]!) });
    case 'rd, csr, uimm': return enc(row.mnemonic, { rd: reg(o[0]!), csr: csrNum(o[1]!), rs1: num(o[2]!) });
    case 'rd, rs1': return enc(row.mnemonic, { rd: reg(o[0]!), rs1: reg(o[1]!) });
    case 'rs1': return enc(row.mnemonic, { rs1: reg(o[0]!) });
    case 'pred, succ': case '': return enc(row.mnemonic);
  }
}
