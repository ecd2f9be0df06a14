/**
 * Random command lines: the flags of every command (read from the command table, so a new flag is
 * fuzzed as soon as it exists) with values that are valid, on a boundary, or malformed, plus unknown
 * flags, missing values and stray positionals. Values that would make a run long are bounded, so that a
 * campaign input ends within seconds: the instruction budget, the fuzzer's runs, its worker threads and
 * the RAM size. Outputs (`asm -o`) only ever go into the input's own directory, or to a path that
 * cannot be written.
 */
import type { Random } from '../base/random.js';
import { ALL_COMMANDS } from '../cli/all-commands.js';
import { FLAW_NAMES, OUTSTANDING_POLICIES } from '../fuzz/case.js';
import { HOSTILE_TEXTS, NUMBER_TEXTS, chance, numberText, pick } from './values.js';

/** The largest instruction budget a campaign input runs with (in-process inputs must end in seconds). */
export const MAX_BUDGET = 100_000;

/** `@dir` stands for the input's own directory; `@N` for the path of its Nth file. */
export const DIR = '@dir';

/** What a flag value may refer to: extra files the input carries. */
export interface FlagFiles {
  /** Adds a file to the input and returns its placeholder (`@N`). */
  add(name: string, bytes: Uint8Array): string;
}

function failPoint(rng: Random): string {
  switch (rng.below(5)) {
    case 0:
      return String(rng.range(0, 300_000));
    case 1:
      return `epoch:${rng.range(0, 100)}`;
    case 2:
      return `event:${rng.range(0, 200)}`;
    case 3:
      return `${pick(rng, ['epoch', 'event', 'EPOCH', 'insn', ''])}:${pick(rng, NUMBER_TEXTS)}`;
    default:
      return pick(rng, [...NUMBER_TEXTS, ...HOSTILE_TEXTS]);
  }
}

function dataFile(rng: Random, files: FlagFiles): string {
  switch (rng.below(7)) {
    case 0:
      return files.add('empty.bin', new Uint8Array(0));
    case 1:
      return files.add(
        'data.bin',
        Uint8Array.from({ length: rng.range(1, 4096) }, () => rng.below(256)),
      );
    case 2:
      return files.add('disk.img', new Uint8Array(pick(rng, [511, 512, 1 << 20, (1 << 20) + 512, 3 << 20])));
    case 3:
      return DIR;
    case 4:
      return `${DIR}/missing`;
    case 5:
      return '/dev/null';
    default:
      return pick(rng, HOSTILE_TEXTS);
  }
}

/** A `step --script`: commands that step, run to epoch ends and addresses, and junk. */
export function stepScript(rng: Random): string {
  const cmds: string[] = [];
  for (let n = rng.range(1, 8); n > 0; n--) {
    cmds.push(
      pick(rng, [
        's',
        `s ${rng.range(1, 5000)}`,
        `s ${pick(rng, NUMBER_TEXTS)}`,
        'e',
        'e',
        `g ${pick(rng, ['0x80000000', '0x80000010', '_start', 'main', 'nosuch', '0xffffffff', '0', pick(rng, NUMBER_TEXTS)])}`,
        'c',
        'v',
        'h',
        '?',
        'q',
        '',
        pick(rng, HOSTILE_TEXTS),
      ]),
    );
  }
  return cmds.join(pick(rng, [';', '; ', ';;', ' ; ']));
}

/** A value for the flag `name`: mostly in its expected form, sometimes not. */
export function flagValue(rng: Random, command: string, name: string, files: FlagFiles, hostility = 1): string {
  // A trace file only in the input's scratch directory: any other name would be written where the campaign runs.
  if (name === 'trace') return pick(rng, [`${DIR}/trace.json`, DIR, `${DIR}/missing/trace.json`, '', '-']);
  if (chance(rng, 0.15 * hostility))
    return pick(rng, chance(rng, 0.5) ? NUMBER_TEXTS : HOSTILE_TEXTS.filter((t) => name !== 'output' || t === ''));
  switch (name) {
    case 'max-instructions':
      return numberText(rng, 1, MAX_BUDGET);
    case 'seed':
      return numberText(rng, 0, 0xffffffff);
    case 'epoch':
      return pick(rng, [numberText(rng, 1, 100_000), String(1 << 30), String((1 << 30) + 1), '1', '2', '3']);
    case 'trap-delay':
      return pick(rng, [numberText(rng, 0, 64), String(1 << 20), String((1 << 20) + 1)]);
    case 'channel-capacity':
      return pick(rng, [numberText(rng, 1, 4096), '1', '2', String(1 << 24), String((1 << 24) + 1)]);
    case 'ram':
      return pick(rng, [numberText(rng, 1, 32), '1', '0', '1025', '2048']);
    case 'runs':
      return pick(rng, [String(rng.range(1, 3)), '0', '-1', '10000001']);
    case 'workers':
      return pick(rng, ['1', '1', '0', '257', '-1']);
    case 'time-limit':
    case 'timeout':
      return pick(rng, ['1', '2', '0', '-1', '1000001', '0.5']);
    case 'shard':
      return pick(rng, ['1/1', '1/2', '2/2', '1/1000', '0/1', '3/2', '1/0', '1', '/', numberText(rng, 0, 3) + '/' + numberText(rng, 0, 3)]);
    case 'backup-pace':
      return pick(rng, ['1', '0.5', '0.01', '0', '1.5', '-0.5', '.5', '1e-9', 'NaN']);
    case 'drain-priv':
      return pick(rng, ['0', '1', '2', '-1', 'x']);
    case 'fail-at':
      return failPoint(rng);
    case 'fail-side':
      return pick(rng, ['primary', 'backup', 'both', 'PRIMARY', '']);
    case 'outstanding':
      return pick(rng, [...OUTSTANDING_POLICIES, 'all', '']);
    case 'flaw':
      return pick(rng, [...FLAW_NAMES, 'none', '']);
    case 'gdb':
      // Never a usable port: a valid one would wait for a debugger that never comes.
      return pick(rng, ['-1', '65536', 'x', '', '0x10000', '1.5']);
    case 'replica':
      return pick(rng, ['primary', 'backup', '0', '1', '2', 'x', '']);
    case 'exit-code-from':
      return pick(rng, ['guest', 'status', 'both', '']);
    case 'format':
      return pick(rng, ['elf', 'bin', 'ELF', 'hex', '']);
    case 'script':
      return stepScript(rng);
    case 'input':
    case 'disk':
      return dataFile(rng, files);
    case 'output':
      return pick(rng, [`${DIR}/out.elf`, `${DIR}/out.bin`, DIR, `${DIR}/missing/out.elf`, '']);
    default:
      return numberText(rng, 0, 16);
  }
}

/** Flags of `command` with random values; `hostility` 0..1 scales how often the line is broken on purpose. */
export function randomFlags(rng: Random, command: string, files: FlagFiles, hostility: number): string[] {
  const spec = ALL_COMMANDS.find((c) => c.name === command);
  if (!spec) return [];
  // `step --web` serves a page until it is told to stop: a campaign cannot drive it (its tests do, in a browser).
  const names = Object.keys(spec.options).filter((n) => n !== 'help' && !(command === 'step' && n === 'web'));
  const argv: string[] = [];
  for (let n = rng.below(hostility > 0.5 ? 7 : 3); n > 0 && names.length; n--) {
    const name = pick(rng, names);
    const o = spec.options[name]!;
    const flag = o.short && chance(rng, 0.2) ? `-${o.short}` : `--${name}`;
    if (o.type === 'boolean') {
      argv.push(chance(rng, hostility * 0.1) ? `${flag}=${pick(rng, ['1', 'true', ''])}` : flag);
    } else if (chance(rng, hostility * 0.05)) {
      argv.push(flag);
    } else {
      argv.push(flag, flagValue(rng, command, name, files, hostility));
    }
  }
  if (chance(rng, hostility * 0.1)) argv.push(pick(rng, ['--bogus', '-z', '--', '---', '--=', '-', '--help=1', '--max-instructions=']));
  if (chance(rng, hostility * 0.05)) argv.push(pick(rng, ['extra', '-', DIR]));
  return argv;
}

/** The value of the last `--name V` in argv (as `parseArgs` keeps the last). */
function lastValue(argv: readonly string[], name: string): string | undefined {
  for (let i = argv.length - 2; i >= 0; i--) if (argv[i] === `--${name}`) return argv[i + 1];
  return undefined;
}

/** An integer as the CLI reads one (decimal or 0x hex), or undefined. */
function cliInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?(0x[0-9a-f]+|\d+)$/i.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** A port the gdb stub would listen on (0..65535, as `--gdb` reads it): the run would wait for a debugger. */
const listens = (value: string | undefined): boolean => {
  const port = cliInt(value);
  return port !== undefined && port >= 0 && port <= 65535;
};

/**
 * The line with every `--gdb PORT` (or `--gdb=PORT`) that the stub would listen on turned into an invalid
 * port: such a run waits for a debugger that never comes, as `qemu -s -S` does, so the campaign would only
 * see its time limit. `flagValue` never draws one for `--gdb`, but the hostile numbers it draws for any flag
 * can be one (`--gdb 7`): four inputs of seed 20261202 did.
 */
export function withoutDebuggerWait(argv: readonly string[]): string[] {
  return argv.map((word, i) => {
    if (argv[i - 1] === '--gdb' && listens(word)) return '65536';
    if (word.startsWith('--gdb=') && listens(word.slice('--gdb='.length))) return '--gdb=65536';
    return word;
  });
}

/** Epochs shorter than this make every instruction cost more: such runs get a smaller budget. */
const SHORT_EPOCH = 256;

/**
 * Bounds a command line's run: when the instruction budget the CLI will read is larger than an input may
 * run (smaller with short epochs, and for `demo`, which runs the guest more than once), a last
 * `--max-instructions` brings it down. Lines whose budget is malformed are left alone (a usage error).
 */
export function boundBudget(input: readonly string[]): string[] {
  const command = input[0];
  if (command !== 'run' && command !== 'pair' && command !== 'step' && command !== 'demo') return [...input];
  const argv = withoutDebuggerWait(input);
  const epoch = cliInt(lastValue(argv, 'epoch'));
  const limit = epoch !== undefined && epoch < SHORT_EPOCH ? 10_000 : command === 'demo' ? 20_000 : command === 'step' ? 5_000 : MAX_BUDGET;
  const budget = cliInt(lastValue(argv, 'max-instructions'));
  return budget !== undefined && budget > limit ? [...argv, '--max-instructions', String(limit)] : [...argv];
}
