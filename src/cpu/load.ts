/**
 * Loading a program into a processor: the reset that `Cpu.load` performs, on the plain state and its RAM views.
 */
import { RAM_BASE } from '../../isa/csrs.js';
import type { ProgramImage } from '../../isa/image.js';
import { ShadowError } from '../base/errors.js';
import { clearPages } from '../base/ram-pool.js';
import { codeWritten } from './loop-env.js';
import { writeBytes, type ViewsNow } from './ram-access.js';
import { resetCsrs } from './state.js';
import type { CpuState } from './types.js';

const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

/**
 * Loads a program and resets the processor: RAM cleared and every segment copied in, the pages changed
 * marked dirty (`written`, one byte per 4 KiB page, names the pages that may hold a non-zero byte; without
 * it every page is cleared and marked), registers 0 except sp = top of RAM, pc = entry, mode M, CSRs 0 (interrupts disabled), instret 0,
 * the trap buffer empty. The recovery register, Drain_Priv and the trap unit's random stream are kept.
 * A segment outside RAM is a host error (ELF), found before `views` (over s.ram) is asked for.
 */
export function loadImage(s: CpuState, image: ProgramImage, views: ViewsNow, written?: Uint8Array): void {
  const size = s.ram.length;
  for (const seg of image.segments) {
    const total = seg.bytes.length + (seg.zeroFill ?? 0);
    const off = seg.addr - RAM_BASE;
    if (!(off >= 0 && off + total <= size)) {
      throw new ShadowError(
        'ELF',
        `segment at ${hex(seg.addr)} (${total} bytes) does not fit in RAM ${hex(RAM_BASE)}..${hex(RAM_BASE + size - 1)}`,
      );
    }
  }
  if (written) {
    // Only the pages that may hold a non-zero byte are cleared; they and the segments' pages are marked dirty.
    clearPages(s.ram, written);
    s.dirty.set(written);
  } else {
    s.ram.fill(0);
    s.dirty.fill(1);
  }
  codeWritten(views().code, 0, size - 1);
  for (const seg of image.segments) writeBytes(s, views, seg.addr, seg.bytes);
  s.regs.fill(0);
  s.regs[2] = (RAM_BASE + size) | 0;
  s.pc = image.entry >>> 0;
  s.mode = 3;
  s.csr = resetCsrs();
  s.instret = 0;
  s.trap.v1 = 0;
  s.trap.v2 = 0;
  s.trap.countdown = -1;
}
