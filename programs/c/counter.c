/*
 * counter.c: a small I/O program for the fuzzer's planted-bug suite (quick to sweep). Writes NREC disk
 * records (one sector each, two writes in flight), logs each on the console, reads them back (two reads
 * in flight) and verifies them; then bumps a counter in sector COUNTER_SECTOR NBUMP times, each a READ of
 * the sector followed by a WRITE of it. Prints a summary. Exit code: low 6 bits of a checksum of the
 * records and the counter when everything verifies, else 128 + the number of bad records.
 *
 * The counter update is the interesting part for runtimes built -DKIO_REPORT_DISCONNECT, which end an
 * operation with KIO_EDISCONN on a DISCONNECTED record and leave the redo to the program:
 *  - by default the program redoes the WRITE of the value it computed (idempotent: counter-retry.elf);
 *  - with -DCOUNTER_RMW it redoes the whole read-modify-write, reading the counter again: when the lost
 *    WRITE had in fact been performed (Rule 3), the counter is bumped twice (the planted bug, counter-rmw.elf).
 */
#include "kio.h"
#include "rt.h"

#define NREC 8
#define WINDOW 2
#define MAGIC 0x4745444cu /* "LDGE" */
#define COUNTER_SECTOR 16u
#define NBUMP 4

static uint8_t wbuf[WINDOW][KIO_SECTOR] __attribute__((aligned(4)));
static uint8_t rbuf[NREC][KIO_SECTOR] __attribute__((aligned(4)));
static uint8_t cbuf[KIO_SECTOR] __attribute__((aligned(4)));

static uint32_t fill(uint8_t *buf, uint32_t seq) {
  uint32_t x = seq * 2654435761u + 7, sum = 0x811c9dc5u;
  uint32_t *w = (uint32_t *)buf;
  w[0] = MAGIC;
  w[1] = seq;
  for (uint32_t i = 2; i < KIO_SECTOR / 4; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    w[i] = x;
    sum = (sum ^ x) * 0x01000193u;
  }
  return sum;
}

/* One operation, redone while a -DKIO_REPORT_DISCONNECT runtime reports the connection lost. */
static int io(int op, void *buf, uint32_t sector) {
  for (;;) {
    int r = kio_wait(kio_submit(op, KIO_DEV_DISK, buf, KIO_SECTOR, sector * KIO_SECTOR));
    if (r != KIO_EDISCONN) return r;
  }
}

/* Waits for a windowed operation; one the runtime reports lost is redone (same buffer, same sector). */
static int settle(int handle, int op, void *buf, uint32_t sector) {
  int r = kio_wait(handle);
  return r == KIO_EDISCONN ? io(op, buf, sector) : r;
}

static uint32_t bump_counter(void) {
  uint32_t value = 0;
  for (int i = 0; i < NBUMP; i++) {
#ifdef COUNTER_RMW
    for (;;) { /* the deliberate bug: a lost WRITE is redone as a whole read-modify-write */
      if (io(KIO_OP_READ, cbuf, COUNTER_SECTOR) != KIO_SECTOR) return 0xffffffffu;
      uint32_t *w = (uint32_t *)cbuf;
      w[0] += 1;
      int r = kio_wait(kio_submit(KIO_OP_WRITE, KIO_DEV_DISK, cbuf, KIO_SECTOR, COUNTER_SECTOR * KIO_SECTOR));
      if (r == KIO_EDISCONN) continue;
      if (r != KIO_SECTOR) return 0xffffffffu;
      value = w[0];
      break;
    }
#else
    if (io(KIO_OP_READ, cbuf, COUNTER_SECTOR) != KIO_SECTOR) return 0xffffffffu;
    uint32_t *w = (uint32_t *)cbuf;
    w[0] += 1;
    value = w[0];
    if (io(KIO_OP_WRITE, cbuf, COUNTER_SECTOR) != KIO_SECTOR) return 0xffffffffu; /* redone with the same value */
#endif
  }
  return value;
}

int main(void) {
  uint32_t expect[NREC];
  int handle[WINDOW] = {-1, -1}, errors = 0;
  uint32_t hsector[WINDOW] = {0, 0};
  rt_puts("counter: start\n");
  for (uint32_t i = 0; i < NREC; i++) {
    int w = (int)(i % WINDOW);
    if (handle[w] >= 0 && settle(handle[w], KIO_OP_WRITE, wbuf[w], hsector[w]) != KIO_SECTOR) errors++;
    expect[i] = fill(wbuf[w], i);
    hsector[w] = 1 + i;
    handle[w] = kio_submit(KIO_OP_WRITE, KIO_DEV_DISK, wbuf[w], KIO_SECTOR, (1 + i) * KIO_SECTOR);
    rt_puts("counter: record ");
    rt_putu(i);
    rt_putc('\n');
  }
  for (int w = 0; w < WINDOW; w++) {
    if (handle[w] >= 0 && settle(handle[w], KIO_OP_WRITE, wbuf[w], hsector[w]) != KIO_SECTOR) errors++;
  }
  int rh[NREC];
  for (uint32_t i = 0; i < NREC; i++) {
    if (i >= WINDOW && settle(rh[i - WINDOW], KIO_OP_READ, rbuf[i - WINDOW], 1 + i - WINDOW) != KIO_SECTOR) errors++;
    rh[i] = kio_submit(KIO_OP_READ, KIO_DEV_DISK, rbuf[i], KIO_SECTOR, (1 + i) * KIO_SECTOR);
  }
  for (uint32_t i = NREC - WINDOW; i < NREC; i++) {
    if (settle(rh[i], KIO_OP_READ, rbuf[i], 1 + i) != KIO_SECTOR) errors++;
  }
  uint32_t bad = 0, total = 0;
  for (uint32_t i = 0; i < NREC; i++) {
    uint8_t copy[KIO_SECTOR];
    uint32_t sum = fill(copy, i);
    if (sum != expect[i] || memcmp(copy, rbuf[i], KIO_SECTOR) != 0) bad++;
    total = total * 31u + sum;
  }
  uint32_t counter = bump_counter();
  rt_puts("counter: ");
  rt_putu(NREC - bad);
  rt_puts(" good, ");
  rt_putu(bad);
  rt_puts(" bad, ");
  rt_putu((uint32_t)errors);
  rt_puts(" I/O errors, counter ");
  rt_putu(counter);
  rt_puts(", checksum ");
  rt_puthex(total);
  rt_putc('\n');
  if (bad || errors || counter != NBUMP) return 128 + (int)(bad + (uint32_t)errors + (counter != NBUMP));
  return (int)((total ^ counter) & 63u);
}
