import { describe, expect, it } from 'vitest';
import { COMMANDS, commandEntry } from '../../src/cli/registry.js';
import { ALL_COMMANDS } from '../../src/cli/all-commands.js';
import { commandHelp, helpText } from '../../src/cli/help.js';

describe('the command table', () => {
  it('loads, for every entry, the command of that name', async () => {
    for (const entry of COMMANDS) expect((await entry.load()).name).toBe(entry.name);
  });

  it('lists the same commands, in the same order, as all-commands.ts', () => {
    expect(ALL_COMMANDS.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
  });

  it('gives each command its summary in both help texts', async () => {
    const asm = commandEntry('asm')!;
    expect(helpText()).toContain(`  asm      ${asm.summary}\n`);
    expect(commandHelp(await asm.load()).split('\n')[2]).toBe(asm.summary);
  });

  it('has no entry for an unknown name', () => {
    expect(commandEntry('frob')).toBeUndefined();
  });
});
