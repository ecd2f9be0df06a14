import { describe, expect, it } from 'vitest';
import { Stepper } from '../../src/cli/stepper.js';
import { program } from '../programs.js';

describe('the stepper fails the primary where it stands (f)', () => {
  it('the backup catches up, takes over, and stepping goes on with it', () => {
    const s = new Stepper(program('counter.elf'), {}, false);
    s.command('e');
    s.command('g kio_submit');
    const out = s.command('f').output;
    expect(out).toMatch(
      /^the primary fail-stops at instret 27778, pc 80000a98\nthe backup took over in epoch 7: 0 completion\(s\) deleted \(312\), DISCONNECTED for 0 device\(s\) \(314\); stepping goes on with the new primary\n/,
    );
    expect(out).toContain('PRIMARY [primary] failed (fail-stop)');
    expect(out).toContain('BACKUP [primary] running');
    const b = s.pair.backup.computer.cpu.state;
    const before = b.instret;
    s.command('s 5');
    expect(b.instret).toBe(before + 5);
    expect(s.command('f').output).toBe('the primary has already failed\n' + s.view());
  });
});
