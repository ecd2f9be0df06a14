/*
 * echo.c: I/O program on the kernel library. Reads the console's input stream with positional
 * READs (CHUNK bytes at a time, at the stream position; a READ returns fewer bytes near the end
 * and 0 at the end) and echoes every chunk to the console output, then prints a summary line.
 * While one chunk is being echoed, the READ for the next is already in flight.
 * Exit code: low 7 bits of the sum of the input bytes (0 for empty input), or 128 + 1 on an
 * I/O error.
 */
#include "kio.h"
#include "rt.h"

#define CHUNK 64

static uint8_t buf[2][CHUNK];

int main(void) {
  uint32_t pos = 0, sum = 0;
  int cur = 0, status = 0;
  rt_puts("echo: start\n");
  int h = kio_submit(KIO_OP_READ, KIO_DEV_CONSOLE, buf[cur], CHUNK, pos);
  for (;;) {
    int n = kio_wait(h);
    if (n < 0) {
      status = n;
      break;
    }
    if (n == 0) break;
    pos += (uint32_t)n;
    /* Prefetch the next chunk before echoing this one (only when this one was full). */
    int next = -1;
    if (n == CHUNK) next = kio_submit(KIO_OP_READ, KIO_DEV_CONSOLE, buf[cur ^ 1], CHUNK, pos);
    for (int i = 0; i < n; i++) sum += buf[cur][i];
    rt_write(buf[cur], (uint32_t)n);
    if (next < 0) break;
    h = next;
    cur ^= 1;
  }
  rt_flush();
  rt_puts("\necho: ");
  rt_putu(pos);
  rt_puts(" bytes, sum ");
  rt_putu(sum);
  rt_putc('\n');
  if (status < 0) {
    rt_puts("echo: read failed: ");
    rt_putd(status);
    rt_putc('\n');
    return 129;
  }
  return (int)(sum & 127u);
}
