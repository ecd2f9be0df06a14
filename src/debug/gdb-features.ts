/**
 * target.xml, which gdb reads through `qXfer:features:read`: riscv:rv32 with the integer registers and
 * pc (org.gnu.gdb.riscv.cpu), every CSR of the machine's table by name, the Xshadow ones included
 * (org.gnu.gdb.riscv.csr), and the recovery register (org.shadowvm.xshadow). Register numbers follow
 * gdb-registers.ts.
 */
import { CSRS } from '../../isa/csrs.js';
import { ABI_NAMES } from '../../isa/registers.js';
import { FIRST_CSR_REGNO, PC_REGNO, RR_REGNO } from './gdb-registers.js';

function xregType(i: number): string {
  if (i === 1) return 'code_ptr';
  if (i === 2 || i === 3 || i === 8) return 'data_ptr';
  return 'int';
}

export function targetXml(): string {
  const lines = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
    '<target version="1.0">',
    '<architecture>riscv:rv32</architecture>',
    '<feature name="org.gnu.gdb.riscv.cpu">',
  ];
  for (let i = 0; i < 32; i++) {
    const name = i === 8 ? 'fp' : ABI_NAMES[i]!;
    lines.push(`<reg name="${name}" bitsize="32" type="${xregType(i)}" regnum="${i}"/>`);
  }
  lines.push(`<reg name="pc" bitsize="32" type="code_ptr" regnum="${PC_REGNO}"/>`, '</feature>');
  lines.push('<feature name="org.gnu.gdb.riscv.csr">');
  CSRS.forEach((c, i) => lines.push(`<reg name="${c.name}" bitsize="32" type="int" regnum="${FIRST_CSR_REGNO + i}" group="csr"/>`));
  lines.push('</feature>', '<feature name="org.shadowvm.xshadow">');
  lines.push(`<reg name="rr" bitsize="32" type="uint32" regnum="${RR_REGNO}" group="xshadow"/>`);
  lines.push('</feature>', '</target>');
  return lines.join('\n') + '\n';
}
