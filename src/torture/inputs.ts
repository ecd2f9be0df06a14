/**
 * One campaign input from (seed, index): a command line and the files it names. The same pair always
 * gives the same input, so an input is replayed from its seed and index alone. Kinds:
 *  - `elf`: a mutated built guest (programs/build/*.elf);
 *  - `bin`: a mutated flat binary (a built guest flattened, or a generated program);
 *  - `asm`: mutated assembly from a `.s` file under programs/ or from the generator;
 *  - `hostile`: a hostile guest (hostile.ts), sometimes assembled to an ELF first;
 *  - `genprog`: a generated program (src/genprog) with some of its instruction words overwritten;
 *  - `flags`: a sound program under a command line of random flags.
 */
import { Random } from '../base/random.js';
import { deriveSeed } from '../base/seeds.js';
import { generateProgram } from '../genprog/genprog.js';
import { assemble } from '../asm/assembler.js';
import { toElf } from '../asm/elf-write.js';
import { ShadowError } from '../base/errors.js';
import { flatten, loadCorpus } from './corpus.js';
import { mutateBytes, mutateText } from './mutate.js';
import { hostileProgram } from './hostile.js';
import { DIR, MAX_BUDGET, boundBudget, randomFlags, stepScript, type FlagFiles } from './flags.js';
import { chance, pick, word } from './values.js';

export interface InputFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface TortureInput {
  readonly seed: number;
  readonly index: number;
  readonly kind: AnyKind;
  readonly files: readonly InputFile[];
  /** The command line; `@dir` is the input's own directory and `@N` the path of files[N]. */
  readonly argv: readonly string[];
}

export const INPUT_KINDS = ['elf', 'bin', 'asm', 'hostile', 'genprog', 'flags'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];
/** A drawn kind, or one of the fixed bounds probes (probes.ts). */
export type AnyKind = InputKind | 'probe';

/** How often each kind is drawn, out of 100. */
const WEIGHTS: Readonly<Record<InputKind, number>> = { elf: 20, bin: 12, asm: 18, hostile: 25, genprog: 10, flags: 15 };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class Files implements FlagFiles {
  readonly list: InputFile[] = [];
  add(name: string, bytes: Uint8Array): string {
    this.list.push({ name: `${this.list.length}-${name}`, bytes });
    return `@${this.list.length - 1}`;
  }
}

function drawKind(rng: Random): InputKind {
  let r = rng.below(100);
  for (const k of INPUT_KINDS) {
    if (r < WEIGHTS[k]) return k;
    r -= WEIGHTS[k];
  }
  return 'flags';
}

/** Commands that take a program, with their weights for a program of this kind. */
function drawCommand(rng: Random, source: boolean): string {
  const r = rng.below(100);
  if (r < 42) return 'run';
  if (r < 72) return 'pair';
  if (r < 78) return 'step';
  if (r < 83) return 'fuzz';
  if (r < 85) return 'demo';
  if (r < 94) return 'disasm';
  return source ? 'asm' : 'run';
}

const MODE_FLAGS = ['--exhaustive', '--every-instruction', '--runs', '--fail-at'];

/** RAM for an input's run: mostly small, since a fresh 16 MiB costs far more than a short run (`run` does not reuse RAM). */
function drawRam(rng: Random, command: string): number {
  const r = rng.below(100);
  if (r < (command === 'run' ? 90 : 55)) return 1;
  if (r < (command === 'run' ? 97 : 75)) return 4;
  return 16;
}

/** The command line around `program` (a placeholder), with the bounds every in-process input runs under. */
function commandLine(rng: Random, command: string, program: string | undefined, ramMiB: number, files: Files, hostility: number): string[] {
  const flags = randomFlags(rng, command, files, hostility);
  const budget = String(pick(rng, [1000, 10_000, 50_000, MAX_BUDGET]));
  const positional = program === undefined ? [] : [program];
  const ram = ['--ram', String(ramMiB)];
  switch (command) {
    case 'run':
    case 'pair':
      return boundBudget([command, '--max-instructions', budget, ...ram, ...positional, ...flags]);
    case 'step': {
      const script = flags.includes('--script') || hostility === 1 ? [] : ['--script', stepScript(rng)];
      return boundBudget(['step', '--max-instructions', budget, ...ram, ...positional, ...script, ...flags]);
    }
    case 'demo':
      return boundBudget(['demo', '--max-instructions', budget, ...positional, ...flags]);
    case 'fuzz': {
      // A tiny budget: one or two runs (or the chosen mode), one thread, and a cap the flags cannot lift.
      const mode = flags.some((f) => MODE_FLAGS.includes(f)) ? [] : ['--runs', String(rng.range(1, 2))];
      const cap = flags.includes('--every-instruction') || flags.includes('--exhaustive') ? '3000' : '20000';
      return ['fuzz', ...mode, ...ram, ...positional, ...flags, '--workers', '1', '--max-instructions', cap, '--time-limit', '5'];
    }
    case 'asm':
      return ['asm', ...positional, '-o', pick(rng, [`${DIR}/out.elf`, `${DIR}/out.bin`]), ...flags];
    default:
      return [command, ...positional, ...flags];
  }
}

function assembledElf(source: string): Uint8Array | undefined {
  try {
    return toElf(assemble(source, { file: 'hostile.s' }));
  } catch (err) {
    if (err instanceof ShadowError) return undefined;
    throw err;
  }
}

export function makeInput(seed: number, index: number): TortureInput {
  const rng = new Random(deriveSeed(seed, `torture:${index}`));
  const corpus = loadCorpus();
  const files = new Files();
  const kind = drawKind(rng);
  const command = drawCommand(rng, kind === 'asm' || kind === 'hostile');
  const ramMiB = drawRam(rng, command);
  let program: string;
  switch (kind) {
    case 'elf': {
      const base = pick(rng, corpus.elfs);
      program = files.add('prog.elf', mutateBytes(rng, base.bytes, true));
      break;
    }
    case 'bin': {
      const base = chance(rng, 0.7)
        ? pick(rng, corpus.flats).bytes
        : flatten(generateProgram(rng.nextU32(), { length: rng.range(1, 60), io: rng.coin() }).image);
      program = files.add(pick(rng, ['prog.bin', 'prog', 'prog.img']), mutateBytes(rng, base, false));
      break;
    }
    case 'asm': {
      const text = chance(rng, 0.7)
        ? decoder.decode(pick(rng, corpus.sources).bytes)
        : generateProgram(rng.nextU32(), { length: rng.range(1, 30), io: rng.coin(), timer: chance(rng, 0.2) }).source;
      program = files.add(pick(rng, ['prog.s', 'prog.s', 'prog.S', 'prog.asm']), encoder.encode(mutateText(rng, text, corpus.lines)));
      break;
    }
    case 'hostile': {
      const text = hostileProgram(rng, command === 'demo' ? 16 : ramMiB);
      const elf = command !== 'asm' && chance(rng, 0.4) ? assembledElf(text) : undefined;
      program = elf ? files.add('hostile.elf', elf) : files.add('hostile.s', encoder.encode(text));
      break;
    }
    case 'genprog': {
      const g = generateProgram(rng.nextU32(), { length: rng.range(1, 60), io: rng.coin(), timer: chance(rng, 0.3), user: rng.coin() });
      const flat = flatten(g.image);
      const code = g.info.codeWords;
      for (let n = rng.below(4); n > 0; n--) {
        const at = 4 * rng.below(Math.max(1, code));
        const w = word(rng);
        flat[at] = w & 0xff;
        flat[at + 1] = (w >>> 8) & 0xff;
        flat[at + 2] = (w >>> 16) & 0xff;
        flat[at + 3] = w >>> 24;
      }
      program = files.add('gen.bin', flat);
      break;
    }
    default: {
      const sound = chance(rng, 0.8);
      const base = sound ? pick(rng, [...corpus.sources.filter((s) => s.path.split('/').length === 2), ...corpus.elfs]) : undefined;
      program = base
        ? files.add(base.path.split('/').pop()!, base.bytes)
        : pick(rng, [
            files.add('empty.s', new Uint8Array(0)),
            files.add('empty.bin', new Uint8Array(0)),
            DIR,
            `${DIR}/missing.elf`,
            '/dev/null',
          ]);
      const name = chance(rng, 0.05)
        ? pick(rng, ['', 'bogus', 'help', '--help', '-h', 'RUN'])
        : pick(rng, ['run', 'pair', 'step', 'fuzz', 'demo', 'asm', 'disasm']);
      const omit = name === 'demo' && chance(rng, 0.3);
      return { seed, index, kind, files: files.list, argv: commandLine(rng, name, omit ? undefined : program, ramMiB, files, 1) };
    }
  }
  return { seed, index, kind, files: files.list, argv: commandLine(rng, command, program, ramMiB, files, 0.3) };
}
