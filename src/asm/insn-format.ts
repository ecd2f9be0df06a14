/** `.insn` by format (r, i, s, b, u, j): a raw instruction built from its fields. */
import { packB, packI, packJ, packRd, packRs1, packRs2, packS } from '../../isa/formats.js';
import type { Body } from './ast.js';
import type { Asm } from './context.js';
import { LineError } from './line-error.js';
import { imm, memBase, memOffset, reg, target } from './operands.js';
import { asImm, asMem } from './forms.js';

/** `.insn r|i|s|b|u|j ...` with GNU as's operand orders. */
export function runInsnFormat(a: Asm, body: Body & { kind: 'insnDir' }): void {
  const o = body.ops;
  const want = (n: number): void => {
    if (o.length !== n)
      throw new LineError(body.col, `wrong number of operands for '.insn ${body.format}': expected ${n}, found ${o.length}`);
  };
  const field = (i: number, max: number, what: string): number => {
    const op = asImm(o[i]!);
    if (op.kind !== 'expr') throw new LineError(op.col, `.insn: bad ${what}`);
    const v = Number(a.constant(op.e, op.col, `the ${what} of .insn`));
    if (v < 0 || v > max) throw new LineError(op.col, `.insn: ${what} ${v} out of range 0..${max}`);
    return v;
  };
  const opcode = (): number => {
    const v = field(0, 127, 'opcode');
    if ((v & 3) !== 3) throw new LineError(o[0]!.col, `.insn: opcode 0x${v.toString(16)} is not a 32-bit opcode`);
    return v;
  };
  const emit = (make: () => number): void => a.word(() => make() >>> 0, body.col);
  switch (body.format) {
    case 'r': {
      want(6);
      const w =
        opcode() |
        (field(1, 7, 'func3') << 12) |
        ((field(2, 127, 'func7') << 25) >>> 0) |
        packRd(reg(o[3]!)) |
        packRs1(reg(o[4]!)) |
        packRs2(reg(o[5]!));
      return emit(() => w);
    }
    case 'i': {
      if (o.length === 4) {
        const w = opcode() | (field(1, 7, 'func3') << 12) | packRd(reg(o[2]!));
        const m = asMem(o[3]!);
        const rs1 = memBase(m);
        return emit(() => w | packRs1(rs1) | packI(memOffset(a, m, 'i')));
      }
      want(5);
      const w = opcode() | (field(1, 7, 'func3') << 12) | packRd(reg(o[2]!)) | packRs1(reg(o[3]!));
      return emit(() => w | packI(imm(a, asImm(o[4]!), 'i')));
    }
    case 's': {
      want(4);
      const w = opcode() | (field(1, 7, 'func3') << 12) | packRs2(reg(o[2]!));
      const m = asMem(o[3]!);
      const rs1 = memBase(m);
      return emit(() => w | packRs1(rs1) | packS(memOffset(a, m, 's')));
    }
    case 'b':
    case 'sb': {
      want(5);
      const w = opcode() | (field(1, 7, 'func3') << 12) | packRs1(reg(o[2]!)) | packRs2(reg(o[3]!));
      return emit(() => w | packB(target(a, o[4]!, 'b')));
    }
    case 'u': {
      want(3);
      const w = opcode() | packRd(reg(o[1]!));
      return emit(() => w | ((imm(a, asImm(o[2]!), 'u') << 12) >>> 0));
    }
    case 'j':
    case 'uj': {
      want(3);
      const w = opcode() | packRd(reg(o[1]!));
      return emit(() => w | packJ(target(a, o[2]!, 'j')));
    }
  }
  throw new LineError(body.formatCol, `.insn: unknown format '${body.format}' (use r, i, s, b, u or j)`);
}
