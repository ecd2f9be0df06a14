/*
 * kio-stress.c: a test program for the kernel I/O library (built by test/programs/kio.test.ts with
 * -DKIO_SLOTS=32, so the library tracks more operations than the machine accepts per device (16)).
 * Submits 28 disk WRITEs at once, then 28 READs at once, and checks every result and every byte.
 * The machine refuses some with -5 (too many outstanding); the library must keep them pending and
 * issue them as completions make room. Prints the failures and the library's counters; exit code =
 * number of failures (0 when right).
 */
#include "kio.h"
#include "rt.h"

#define N 28

static uint8_t buf[N][KIO_SECTOR];
static uint8_t src[KIO_SECTOR];

int main(void) {
  int h[N], bad = 0;
  for (int i = 0; i < KIO_SECTOR; i++) src[i] = (uint8_t)(i * 7);
  for (int i = 0; i < N; i++) {
    src[0] = (uint8_t)i; /* the library copies WRITE data: changing src afterwards must not matter */
    h[i] = kio_submit(KIO_OP_WRITE, KIO_DEV_DISK, src, KIO_SECTOR, (uint32_t)(i + 1) * KIO_SECTOR);
    if (h[i] < 0) bad++;
  }
  for (int i = 0; i < N; i++) {
    if (kio_wait(h[i]) != KIO_SECTOR) bad++;
  }
  for (int i = 0; i < N; i++) {
    h[i] = kio_submit(KIO_OP_READ, KIO_DEV_DISK, buf[i], KIO_SECTOR, (uint32_t)(i + 1) * KIO_SECTOR);
    if (h[i] < 0) bad++;
  }
  for (int i = 0; i < N; i++) {
    if (kio_wait(h[i]) != KIO_SECTOR || buf[i][0] != (uint8_t)i || buf[i][5] != 35) bad++;
  }
  const struct kio_stats *st = kio_get_stats();
  rt_puts("kio-stress: bad=");
  rt_putu((uint32_t)bad);
  rt_puts(" retries=");
  rt_putu(st->retries);
  rt_puts(" disconnects=");
  rt_putu(st->disconnects);
  rt_puts(" reissued=");
  rt_putu(st->reissued);
  rt_putc('\n');
  return bad;
}
