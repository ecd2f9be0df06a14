/** Helpers for the cpu tests: a loaded processor from assembly text, and a minimal driver loop. */
import { Cpu } from '../../src/cpu/cpu.js';
import { executeSensitive, type SensitiveEnv } from '../../src/cpu/sensitive.js';
import type { GuestFault, Stop } from '../../src/cpu/types.js';
import { assemble } from '../../src/asm/assembler.js';
import type { ProgramImage } from '../../isa/image.js';

export interface CpuOpts {
  ramBytes?: number;
  trapDelayMax?: number;
  seed?: number;
  /** Run on the processor's own compiled copy of the loop from the first instruction. */
  specialised?: boolean;
  /** Run on translated blocks from the first instruction. */
  blocks?: boolean;
}

export function image(source: string): ProgramImage {
  return assemble(source).image;
}

export function cpuWith(source: string, o: CpuOpts = {}): Cpu {
  const cpu = Cpu.create({ ramBytes: o.ramBytes ?? 64 * 1024, trapDelayMax: o.trapDelayMax ?? 16, trapSeed: o.seed ?? 1 });
  if (o.specialised) cpu.specialiseAfter = 0;
  cpu.engine = 'interp';
  if (o.blocks) useBlocks(cpu);
  cpu.load(image(source));
  return cpu;
}

/** Puts a processor on the block translator from its first instruction. */
export function useBlocks(cpu: Cpu): Cpu {
  cpu.engine = 'blocks';
  cpu.translateAfter = 0;
  return cpu;
}

/** Every engine: the shared loop, a processor's specialised copy, and translated blocks (they must behave identically). */
export const LOOPS = [
  { loop: 'shared loop', specialised: false, blocks: false },
  { loop: 'specialised loop', specialised: true, blocks: false },
  { loop: 'block translator', specialised: false, blocks: true },
] as const;

export const quietEnv: SensitiveEnv = { nondet: () => 0, io: () => -2 };

export interface Driven {
  code?: number;
  fault?: GuestFault;
  stops: Stop['kind'][];
  deferred: Array<{ v1: number; v2: number; instret: number }>;
}

/**
 * Runs to halt with a simple policy: sensitive instructions emulated with `env`, exceptions reflected,
 * hardware traps delivered to the guest when it can take them (else kept and retried after each stop).
 */
export function drive(cpu: Cpu, env: SensitiveEnv = quietEnv, maxStops = 100000): Driven {
  const out: Driven = { stops: [], deferred: [] };
  let v1 = 0;
  let v2 = 0;
  for (let i = 0; i < maxStops; i++) {
    const stop = cpu.run(1_000_000);
    out.stops.push(stop.kind);
    if (stop.kind === 'traps' || stop.kind === 'exception' || stop.kind === 'sensitive' || stop.kind === 'rr') {
      const t = cpu.takeHardwareTraps();
      v1 |= t.v1;
      v2 |= t.v2;
    }
    if (stop.kind === 'exception') {
      const f = cpu.takeException(stop.cause, stop.tval);
      if (f) return { ...out, fault: f };
    } else if (stop.kind === 'sensitive') {
      const r = executeSensitive(cpu, stop.word, env);
      if (r.kind === 'halt') return { ...out, code: r.code };
      if (r.kind === 'exception') {
        const f = cpu.takeException(r.cause, r.tval);
        if (f) return { ...out, fault: f };
      }
    }
    if ((v1 | v2) !== 0 && cpu.canTakeDeferred()) {
      out.deferred.push({ v1, v2, instret: cpu.state.instret });
      const f = cpu.deliverDeferred(v1, v2);
      if (f) return { ...out, fault: f };
      v1 = v2 = 0;
    }
  }
  throw new Error('drive: too many stops');
}

/** Runs `source` (which must end in `halt`) and returns the registers at the halt. */
export function regsAfter(source: string, o: CpuOpts = {}): Int32Array {
  const cpu = cpuWith(source, o);
  const r = drive(cpu);
  if (r.code === undefined) throw new Error(`guest did not halt: ${JSON.stringify(r.fault)}`);
  return cpu.state.regs;
}
