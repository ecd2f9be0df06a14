/*
 * journal.c: I/O program on the kernel library. Appends NREC records to the disk (each record
 * is 1 or 2 sectors: a header {magic, sequence, payload length, FNV-1a of the payload} and a
 * payload generated from the sequence number), keeping up to WINDOW writes outstanding at once;
 * then writes a superblock (sector 0) with the record count; then reads everything back, again
 * with several reads outstanding, and verifies magic, sequence and checksum of every record.
 * Prints a summary. Exit code: low 7 bits of a checksum of all payload checksums when every
 * record verifies, else 128 + the number of bad records (at most 127).
 *
 * Built twice: journal.elf with the correct runtime and journal-noreissue.elf with the runtime
 * built -DKIO_NO_REISSUE, which does not reissue after a DISCONNECTED record. Without a
 * fail-over both behave identically; with one, the broken build loses writes or reads, and the
 * fuzzer's oracles must notice.
 */
#include "kio.h"
#include "rt.h"

#define NREC 48
#define WINDOW 4
#define MAGIC 0x4c4e524au /* "JRNL" */
#define FIRST_SECTOR 1u   /* sector 0 is the superblock */

struct header {
  uint32_t magic, seq, len, sum;
};

static uint8_t wbuf[WINDOW][2 * KIO_SECTOR] __attribute__((aligned(4)));
static uint8_t rbuf[NREC][2 * KIO_SECTOR] __attribute__((aligned(4)));
static uint8_t super[KIO_SECTOR] __attribute__((aligned(4)));

static uint32_t sectors_of(uint32_t seq) { return seq % 3 == 0 ? 2 : 1; }

static uint32_t fnv1a(const uint8_t *p, uint32_t len) {
  uint32_t h = 0x811c9dc5u;
  for (uint32_t i = 0; i < len; i++) h = (h ^ p[i]) * 0x01000193u;
  return h;
}

/* Fill buf with record seq; returns its checksum. */
static uint32_t make_record(uint8_t *buf, uint32_t seq) {
  uint32_t size = sectors_of(seq) * KIO_SECTOR, len = size - sizeof(struct header);
  uint8_t *payload = buf + sizeof(struct header);
  uint32_t x = seq * 2654435761u + 1;
  for (uint32_t i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    payload[i] = (uint8_t)x;
  }
  struct header h = {MAGIC, seq, len, fnv1a(payload, len)};
  memcpy(buf, &h, sizeof h);
  return h.sum;
}

static void fail(const char *what, int code) {
  rt_puts("journal: ");
  rt_puts(what);
  rt_puts(" failed: ");
  rt_putd(code);
  rt_putc('\n');
}

int main(void) {
  uint32_t offset[NREC + 1], expect[NREC];
  int handle[WINDOW], errors = 0;
  for (int i = 0; i < WINDOW; i++) handle[i] = -1;

  int st = kio_connect(KIO_DEV_DISK);
  if (st < 0) {
    fail("connect", st);
    return 255;
  }
  /* Append: record i uses window slot i % WINDOW; wait for that slot's previous write first. */
  offset[0] = FIRST_SECTOR * KIO_SECTOR;
  for (uint32_t i = 0; i < NREC; i++) {
    int w = (int)(i % WINDOW);
    if (handle[w] >= 0 && kio_wait(handle[w]) < 0) errors++;
    expect[i] = make_record(wbuf[w], i);
    uint32_t size = sectors_of(i) * KIO_SECTOR;
    offset[i + 1] = offset[i] + size;
    handle[w] = kio_submit(KIO_OP_WRITE, KIO_DEV_DISK, wbuf[w], size, offset[i]);
    if (handle[w] < 0) {
      fail("submit", handle[w]);
      errors++;
    }
  }
  for (int w = 0; w < WINDOW; w++) {
    if (handle[w] >= 0 && kio_wait(handle[w]) < 0) errors++;
  }
  /* Superblock, written only after every record is on the disk (a commit record). */
  struct header sb = {MAGIC, NREC, offset[NREC], 0};
  memcpy(super, &sb, sizeof sb);
  st = kio_wait(kio_submit(KIO_OP_WRITE, KIO_DEV_DISK, super, KIO_SECTOR, 0));
  if (st != KIO_SECTOR) {
    fail("superblock write", st);
    errors++;
  }
  rt_puts("journal: wrote ");
  rt_putu(NREC);
  rt_puts(" records, ");
  rt_putu(offset[NREC] / KIO_SECTOR);
  rt_puts(" sectors\n");

  /* Read back: superblock, then every record, WINDOW reads in flight. */
  memset(super, 0, sizeof super);
  st = kio_wait(kio_submit(KIO_OP_READ, KIO_DEV_DISK, super, KIO_SECTOR, 0));
  struct header got;
  memcpy(&got, super, sizeof got);
  if (st != KIO_SECTOR || got.magic != MAGIC || got.seq != NREC) {
    fail("superblock read", st);
    errors++;
  }
  int rh[NREC];
  for (uint32_t i = 0; i < NREC; i++) {
    if (i >= WINDOW && kio_wait(rh[i - WINDOW]) < 0) errors++;
    rh[i] = kio_submit(KIO_OP_READ, KIO_DEV_DISK, rbuf[i], sectors_of(i) * KIO_SECTOR, offset[i]);
  }
  for (uint32_t i = NREC - WINDOW; i < NREC; i++) {
    if (kio_wait(rh[i]) < 0) errors++;
  }
  uint32_t bad = 0, total = 0;
  for (uint32_t i = 0; i < NREC; i++) {
    struct header h;
    memcpy(&h, rbuf[i], sizeof h);
    uint32_t len = sectors_of(i) * KIO_SECTOR - sizeof h;
    if (h.magic != MAGIC || h.seq != i || h.len != len || fnv1a(rbuf[i] + sizeof h, len) != h.sum ||
        h.sum != expect[i]) {
      bad++;
    }
    total = total * 31u + h.sum;
  }
  rt_puts("journal: read back ");
  rt_putu(NREC - bad);
  rt_puts(" good, ");
  rt_putu(bad);
  rt_puts(" bad, ");
  rt_putu((uint32_t)errors);
  rt_puts(" I/O errors, checksum ");
  rt_puthex(total);
  rt_putc('\n');
  bad += (uint32_t)errors;
  if (bad != 0) return 128 + (int)(bad > 127 ? 127 : bad);
  return (int)(total & 127u);
}
