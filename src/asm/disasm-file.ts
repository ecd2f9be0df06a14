/**
 * The listing of a program file for `shadowvm disasm`: an ELF executable (its code sections and
 * symbols), assembly source (assembled first, then listed from its ELF) or a flat binary (one code
 * section `.text` at RAM_BASE, no symbols).
 */
import { RAM_BASE } from '../../isa/csrs.js';
import { ShadowError } from '../base/errors.js';
import { assemble } from './assembler.js';
import { SHF_ALLOC, SHF_EXECINSTR, SHT_PROGBITS, STB_GLOBAL, STT_FUNC, STT_OBJECT, isElf } from './elf.js';
import { addressSymbols, parseElf } from './elf-read.js';
import { toElf } from './elf-write.js';
import { isAssemblySource } from './load.js';
import { objdumpListing } from './listing.js';

/** The objdump-style listing of an ELF executable. */
export function listElf(fileName: string, bytes: Uint8Array, describe = false): string {
  const elf = parseElf(bytes);
  const code = elf.sections.filter(
    (s) => s.type === SHT_PROGBITS && (s.flags & (SHF_ALLOC | SHF_EXECINSTR)) === (SHF_ALLOC | SHF_EXECINSTR) && s.size > 0,
  );
  return objdumpListing({
    fileName,
    format: 'elf32-littleriscv',
    describe,
    sections: code.map((s) => ({
      name: s.name,
      addr: s.addr,
      bytes: elf.contents(s),
      mapping: elf.symbols
        .filter((m) => m.section === s.name && (m.name === '$d' || m.name.startsWith('$x')))
        .map((m) => ({ addr: m.value, kind: m.name === '$d' ? ('d' as const) : ('x' as const) })),
    })),
    symbols: addressSymbols(elf.symbols).map((s) => ({
      name: s.name,
      value: s.value,
      section: s.section,
      global: s.bind === STB_GLOBAL,
      func: s.type === STT_FUNC,
      object: s.type === STT_OBJECT,
      size: s.size,
    })),
  });
}

/**
 * The listing of any program file's bytes (`fileName` is shown, and recognises `.s` sources); `describe`
 * adds each instruction's definition.
 */
export function listProgram(fileName: string, bytes: Uint8Array, describe = false): string {
  try {
    if (isAssemblySource(fileName))
      return listElf(fileName, toElf(assemble(new TextDecoder().decode(bytes), { file: fileName })), describe);
    if (isElf(bytes)) return listElf(fileName, bytes, describe);
  } catch (err) {
    if (err instanceof ShadowError && err.code === 'ELF') throw new ShadowError('ELF', `${fileName}: ${err.message}`);
    throw err;
  }
  return objdumpListing({ fileName, format: 'binary', sections: [{ name: '.text', addr: RAM_BASE, bytes }], symbols: [], describe });
}
