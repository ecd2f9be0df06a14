/** `shadowvm link`, `asm -c` and `asm A.s B.s`: a two-file program built by shadowvm alone runs with the right output. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'shadowvm-link-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = join(new URL('.', import.meta.url).pathname, '..', '..', 'link', 'fixtures');
const main = join(fixtures, 'hello-main.s');
const lib = join(fixtures, 'hello-lib.s');
const out = (name: string): string => join(dir, name);

describe('shadowvm link and multi-file asm', () => {
  it('asm A.s B.s links in one step, and asm -c + link give the same executable, which runs', async () => {
    expect(await cli('asm', main, lib, '-o', out('one.elf'))).toMatchObject({ code: 0, out: '', err: '' });
    expect(await cli('asm', '-c', main, '-o', out('main.o'))).toMatchObject({ code: 0, err: '' });
    expect(await cli('asm', '-c', lib, '-o', out('lib.o'))).toMatchObject({ code: 0, err: '' });
    expect(await cli('link', out('main.o'), out('lib.o'), '--text', '0x80000000', '-o', out('two.elf'))).toMatchObject({
      code: 0,
      err: '',
    });
    expect(Buffer.compare(readFileSync(out('one.elf')), readFileSync(out('two.elf')))).toBe(0);
    expect(await cli('run', out('two.elf'))).toMatchObject({ code: 13, out: 'hello, world\n' });
  });

  it('reports link errors with exit 65 and usage errors with 64', async () => {
    await cli('asm', '-c', main, '-o', out('m.o'));
    expect(await cli('link', out('m.o'), '-o', out('x.elf'))).toEqual({
      code: 65,
      out: '',
      err: `${out('m.o')}(.text+0x24): undefined reference to 'submit_wait'\n${out('m.o')}(.text+0x38): undefined reference to 'submit_wait'\n${out('m.o')}(.data+0x2c): undefined reference to 'greeting'\n`,
      chunks: [],
      bytes: [],
    });
    expect((await cli('link', out('m.o'), '-o', out('x.elf'), '--text', '0x80000000', '-T', 'a.ld')).err).toBe(
      'shadowvm link: -T and --text cannot be used together\nUsage: shadowvm link A.o B.o ... -o OUT.elf [-T script.ld | --text ADDR]\n',
    );
    expect((await cli('asm', '-c', main, lib, '-o', out('x.o'))).err).toBe(
      'shadowvm asm: -c takes one source file, got 2\nUsage: shadowvm asm IN.s [MORE.s ...] -o OUT [-c] [--format elf|bin] [-T script.ld | --text ADDR]\n',
    );
    writeFileSync(out('not.o'), 'hello');
    expect((await cli('link', out('not.o'), '-o', out('x.elf'))).err).toBe(`${out('not.o')}: not an ELF file (bad magic)\n`);
  });
});
