/*
 * ledger.c: bank transfers appended to the ledger (device 2, XSHADOW.md 10), exactly once whatever the
 * failures. NTX transfers between NACCT accounts, each one 16-byte entry {request id, from, to, amount},
 * appended one at a time; then the ledger is read back, replayed onto the balances and summed. Prints the
 * number of entries, a checksum of them and the total of the balances (conserved by every transfer).
 * Exit code: 32 + the low 5 bits of the checksum when every append and read succeeded, else the errors
 * (at most 31).
 *
 * How an append is made (one of):
 *  - default: kio's sequence-number discipline (producer id + sequence number; the ledger absorbs a
 *    reissued append that had been performed);
 *  - -DLEDGER_COND: kio's conditional discipline (append at the length expected; after an ERROR, read
 *    entry N to see whether it is this very entry);
 *  - -DLEDGER_PLAIN: a plain append, which kio reissues blindly after DISCONNECTED: when the first attempt
 *    had been performed, the transfer is in the ledger twice (the planted bug, ledger-plain.elf).
 * The other planted bugs are kio's (-DKIO_LEDGER_SEQ_REUSE, -DKIO_LEDGER_BLIND_COND; see kio.c).
 */
#include "kio.h"
#include "rt.h"

#define NTX 200
#define NACCT 8
#define PRODUCER 0x42414e4bu /* "BANK" */
#define REQUEST_BASE 0x54580000u

struct entry {
  uint32_t request, from, to, amount;
};

static int append(const struct entry *e, uint32_t i) {
#if defined(LEDGER_PLAIN)
  (void)i;
  return kio_wait(kio_submit(KIO_OP_WRITE, KIO_DEV_LEDGER, (void *)e, sizeof *e, 0));
#elif defined(LEDGER_COND)
  return kio_ledger_append_cond(e, sizeof *e, i); /* this program is the ledger's only writer */
#else
  (void)i;
  return kio_ledger_append_seq(e, sizeof *e, PRODUCER);
#endif
}

int main(void) {
  int errors = 0;
  uint32_t x = 0x2545f491u;
  if (kio_connect(KIO_DEV_LEDGER) < 0) errors++;
  for (uint32_t i = 0; i < NTX; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    struct entry e = {REQUEST_BASE + i, x % NACCT, (x >> 8) % NACCT, (x >> 16) % 100};
    if (append(&e, i) < 0) errors++;
  }
  int32_t balance[NACCT];
  for (int a = 0; a < NACCT; a++) balance[a] = 1000;
  int n = kio_ledger_length();
  if (n < 0) errors++;
  uint32_t sum = 0x811c9dc5u;
  for (int i = 0; i < n; i++) {
    struct entry e;
    if (kio_wait(kio_submit(KIO_OP_READ, KIO_DEV_LEDGER, &e, sizeof e, (uint32_t)i)) != (int)sizeof e) {
      errors++;
      continue;
    }
    const uint32_t *w = (const uint32_t *)&e;
    for (int k = 0; k < 4; k++) sum = (sum ^ w[k]) * 0x01000193u;
    balance[e.from % NACCT] -= (int32_t)e.amount;
    balance[e.to % NACCT] += (int32_t)e.amount;
  }
  int32_t total = 0;
  for (int a = 0; a < NACCT; a++) total += balance[a];
  rt_puts("ledger: ");
  rt_putd(n);
  rt_puts(" entries, checksum ");
  rt_puthex(sum);
  rt_puts(", balances total ");
  rt_putd(total);
  rt_puts(", account 0 ");
  rt_putd(balance[0]);
  rt_puts(", ");
  rt_putd(errors);
  rt_puts(" errors\n");
  return errors ? (errors > 31 ? 31 : errors) : 32 + (int)(sum & 31);
}
