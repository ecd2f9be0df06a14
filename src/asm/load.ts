/**
 * loadProgram: a guest program from a file, whatever its kind: assembly source (`.s`, `.S`, `.asm`:
 * assembled), an ELF32 executable (recognised by its magic number) or a flat binary (loaded and
 * started at RAM_BASE). Every problem is a ShadowError: FILE for the file system, ASM for the
 * source, ELF for the image.
 */
import { readFileSync } from 'node:fs';
import { RAM_BASE } from '../../isa/csrs.js';
import type { ProgramImage } from '../../isa/image.js';
import { ShadowError } from '../base/errors.js';
import { assemble } from './assembler.js';
import { isElf } from './elf.js';
import { readElf } from './elf-read.js';

export interface LoadOptions {
  /** When given, every segment must lie in RAM: [ramBase, ramBase + ramBytes). */
  readonly ramBytes?: number;
  readonly ramBase?: number;
}

/** Reads a file, mapping file-system errors to ShadowError('FILE'). */
export function readProgramFile(path: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new ShadowError('FILE', `cannot read '${path}': ${why}`);
  }
}

export const isAssemblySource = (path: string): boolean => /\.(s|S|asm)$/.test(path);

/** The image of a flat binary: its bytes at RAM_BASE, started there. */
export function imageFromBinary(bytes: Uint8Array, base: number = RAM_BASE): ProgramImage {
  return { entry: base, segments: [{ addr: base, bytes }], symbols: [] };
}

/** A program image from bytes already read (`name` for messages and to recognise sources). */
export function programFromBytes(name: string, bytes: Uint8Array): ProgramImage {
  if (isAssemblySource(name)) return assemble(new TextDecoder().decode(bytes), { file: name }).image;
  if (isElf(bytes)) {
    try {
      return readElf(bytes);
    } catch (err) {
      if (err instanceof ShadowError) throw new ShadowError(err.code, `${name}: ${err.message}`);
      throw err;
    }
  }
  if (bytes.length === 0) throw new ShadowError('ELF', `${name}: empty program`);
  return imageFromBinary(bytes);
}

/** Checks that every segment lies inside RAM. */
export function checkFitsRam(name: string, image: ProgramImage, ramBytes: number, ramBase: number = RAM_BASE): void {
  const end = ramBase + ramBytes;
  for (const s of image.segments) {
    const size = s.bytes.length + (s.zeroFill ?? 0);
    if (s.addr < ramBase || s.addr + size > end) {
      const last = (s.addr + Math.max(size, 1) - 1) >>> 0;
      throw new ShadowError(
        'ELF',
        `${name}: segment 0x${s.addr.toString(16)}..0x${last.toString(16)} is outside RAM (0x${ramBase.toString(16)}..0x${(end - 1).toString(16)})`,
      );
    }
  }
}

/** Loads a guest program from a file (assembly, ELF or flat binary). */
export function loadProgram(path: string, opts: LoadOptions = {}): ProgramImage {
  const image = programFromBytes(path, readProgramFile(path));
  if (opts.ramBytes !== undefined) checkFitsRam(path, image, opts.ramBytes, opts.ramBase);
  return image;
}
