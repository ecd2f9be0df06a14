/** Helpers for the generator and lockstep tests: bare runs of a generated program, and its decoded mnemonics. */
import { RAM_BASE } from '../../isa/csrs.js';
import { decodeRow } from '../../isa/decode.js';
import type { ProgramImage } from '../../isa/image.js';
import { World } from '../../src/hw/world.js';
import { BareMachine, type BareResult, type HeldTraps } from '../../src/hw/bare.js';
import { Computer } from '../../src/hw/computer.js';

/** Small RAM keeps computers cheap to build and digest; generated programs need one data page after their code. */
export const RAM_MIB = 1;
export const MAX_INSTRUCTIONS = 400_000;

export interface BareRun {
  readonly result: BareResult;
  readonly console: string;
  readonly errors: number;
  readonly computer: Computer;
  /** Deferred traps the bare machine still held for the guest when the run ended. */
  readonly held: HeldTraps;
}

/** Runs `image` alone on one computer (no monitor): interrupts and deferred traps arrive whenever its hardware says. */
export function bareRun(image: ProgramImage, seed = 1, trapDelayMax?: number): BareRun {
  const world = new World();
  const computer = new Computer({ seed, ramMiB: RAM_MIB, trapDelayMax, world });
  computer.load(image);
  const bare = new BareMachine(computer);
  const result = bare.run({ maxInstructions: MAX_INSTRUCTIONS });
  return { result, console: world.consoleText(), errors: world.record().errors, computer, held: bare.held };
}

/** The code segment's instructions as mnemonics (undefined for an illegal word). */
export function mnemonics(image: ProgramImage): Array<string | undefined> {
  const code = image.segments.find((s) => s.addr === RAM_BASE)!;
  const words = new Uint32Array(code.bytes.buffer, code.bytes.byteOffset, code.bytes.length / 4);
  return Array.from(words, (w) => decodeRow(w)?.mnemonic);
}

export const hex = (v: number): string => '0x' + (v >>> 0).toString(16);
