import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/parse.js';
import type { OptionSpec } from '../../src/cli/command.js';
import { ShadowError } from '../../src/base/errors.js';

const OPTIONS: Record<string, OptionSpec> = {
  epoch: { type: 'string', valueName: 'N', description: '' },
  json: { type: 'boolean', description: '' },
  quiet: { type: 'boolean', short: 'q', description: '' },
  output: { type: 'string', short: 'o', valueName: 'OUT', description: '' },
  flaw: { type: 'string', multiple: true, description: '' },
};

const parse = (...argv: string[]) => parseCommandLine(argv, OPTIONS);
function error(...argv: string[]): string {
  try {
    parse(...argv);
  } catch (err) {
    expect(err).toBeInstanceOf(ShadowError);
    expect((err as ShadowError).code).toBe('USAGE');
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('parseCommandLine', () => {
  it('reads values in every getopt form, and positionals around them', () => {
    expect(parse('p.s', '--epoch', '64', '--json')).toEqual({ positionals: ['p.s'], values: { epoch: '64', json: true } });
    expect(parse('--epoch=64', 'p.s', '-qo', 'out', '-oX')).toEqual({
      positionals: ['p.s'],
      values: { epoch: '64', quiet: true, output: 'X' },
    });
    expect(parse('--flaw', 'a', '--flaw=b')).toEqual({ positionals: [], values: { flaw: ['a', 'b'] } });
    expect(parse('-', '--', '--json', '-q')).toEqual({ positionals: ['-', '--json', '-q'], values: {} });
  });

  it('gives an option its next word even when it starts with a dash, so that its own check can speak', () => {
    expect(parse('--epoch', '-5')).toEqual({ positionals: [], values: { epoch: '-5' } });
    expect(parse('-o', '-')).toEqual({ positionals: [], values: { output: '-' } });
  });

  it('says what was wrong in the user words, with a suggestion for a mistyped option', () => {
    expect(error('--epoc', '5')).toBe("unknown option '--epoc' (did you mean --epoch?)");
    expect(error('--frobnicate')).toBe("unknown option '--frobnicate'");
    expect(error('-json')).toBe("unknown option '-json' (did you mean --json?)");
    expect(error('-x')).toBe("unknown option '-x'");
    expect(error('-qx')).toBe("unknown option '-x' in '-qx'");
    expect(error('-5')).toBe("unknown option '-5'");
    expect(error('--json=yes')).toBe("option --json takes no value (got '--json=yes')");
    expect(error('p.s', '--epoch')).toBe('option --epoch needs a value: --epoch N');
    expect(error('-o')).toBe('option -o needs a value: -o OUT');
  });
});
