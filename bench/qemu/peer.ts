/**
 * QEMU as the benchmark's peer: the same C program (programs/c/<name>.c, gcc -O2, rv32im) built for
 * QEMU's virt board with virt-crt0.s and virt-shim.c, run by `qemu-system-riscv32 -icount shift=0`
 * (deterministic instruction counting, QEMU's closest analogue of a recovery register).
 *
 * The figure is differenced: the CPU time (user + system, all of QEMU's threads, from /usr/bin/time) of a
 * run that calls main REPEAT times minus that of a run that calls it once, over (REPEAT - 1) mains'
 * instructions, which drops QEMU's start-up. CPU time, not wall time: on a loaded machine it moves less. The instruction
 * count of one main is the emulator's own count for the same program (the same compiled code, with
 * the guest runtime around it instead of the shim).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CC = 'riscv64-unknown-elf-gcc';
const QEMU = 'qemu-system-riscv32';
const TIME = '/usr/bin/time';

/** Why QEMU cannot be the peer here, or undefined when it can. */
export function peerMissing(): string | undefined {
  for (const tool of [CC, QEMU, TIME]) {
    const r = spawnSync(tool, ['--version'], { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `${tool} not found (apt-get install -y qemu-system-misc gcc-riscv64-unknown-elf)`;
  }
  return undefined;
}

export class QemuPeer {
  private readonly dir = mkdtempSync(join(tmpdir(), 'shadowvm-qemu-'));

  constructor(private readonly root: string) {}

  /** Builds programs/c/<name>.c calling main `repeat` times; returns the ELF's path. */
  build(name: string, repeat: number): string {
    const out = join(this.dir, `${name}-${repeat}.elf`);
    const here = join(this.root, 'bench', 'qemu');
    const r = spawnSync(
      CC,
      [
        '-march=rv32im_zicsr',
        '-mabi=ilp32',
        '-O2',
        '-std=gnu11',
        '-ffreestanding',
        '-nostdlib',
        '-fno-tree-loop-distribute-patterns',
        `-DREPEAT=${repeat}`,
        `-I${join(this.root, 'programs', 'runtime')}`,
        `-T${join(here, 'virt.ld')}`,
        '-Wl,--no-warn-rwx-segments',
        '-o',
        out,
        join(here, 'virt-crt0.s'),
        join(here, 'virt-shim.c'),
        join(this.root, 'programs', 'runtime', 'fmt.c'),
        join(this.root, 'programs', 'runtime', 'mem.c'),
        join(this.root, 'programs', 'c', `${name}.c`),
        '-lgcc',
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`qemu peer: building ${name} failed:\n${r.stderr}`);
    return out;
  }

  /** CPU seconds of one QEMU run of `elf` to its exit, and its console output. */
  time(elf: string): { seconds: number; console: string } {
    const args = ['-f', 'cpu %U %S', QEMU, '-M', 'virt', '-bios', 'none', '-nographic', '-icount', 'shift=0,sleep=off', '-kernel', elf];
    const r = spawnSync(TIME, args, { encoding: 'utf8', timeout: 600_000 });
    const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    if (r.status !== 0 || !m) throw new Error(`qemu peer: ${elf} exited with ${r.status}: ${r.stderr}`);
    return { seconds: Number(m[1]) + Number(m[2]), console: r.stdout };
  }

  /** Guest instructions per second of QEMU on `name`, given one main's instruction count; best of `tries`. */
  rate(name: string, perMain: number, repeat: number, tries: number): number {
    const once = this.build(name, 1);
    const many = this.build(name, repeat);
    let best = Infinity;
    for (let i = 0; i < tries; i++) best = Math.min(best, this.time(many).seconds - this.time(once).seconds);
    return ((repeat - 1) * perMain) / Math.max(best, 1e-6);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
