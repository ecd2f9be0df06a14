/** Reading all of stdin, apart from stdin.ts so that the process's streams load nothing of the machine. */
import { readSync } from 'node:fs';
import { ShadowError } from '../base/errors.js';

/** All of fd 0, read synchronously to its end (waiting out EAGAIN on a non-blocking pipe). */
export function readAllStdin(fd = 0): Uint8Array {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(1 << 16);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      if (code === 'EOF') break;
      throw new ShadowError('FILE', `cannot read stdin: ${code ?? (err as Error).message}`);
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}
